package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.UUID;
import java.util.function.Function;

/**
 * The key encodings. A cache declared with String keys stores them verbatim and one with integral
 * keys in decimal, so that {@code GET ns:products:42} works from redis-cli. Any other cache uses a
 * tagged form: Strings verbatim (a leading {@code #} doubled), other scalars as {@code #<tag>:<text>}
 * and everything else as {@code #j:<canonical JSON with type id>}, so that {@code 1}, {@code 1L}
 * and {@code "1"} never share a Redis key. In that JSON, lists, sets and maps at any depth are
 * written by content ({@link CanonicalKeyModule}): {@code #j:["java.util.Set",["a","b"]]} for every
 * set equal to {@code Set.of("a", "b")}.
 */
final class KeyCodecs {

    private static final char TAG = '#';

    private KeyCodecs() {
    }

    static KeyCodec forType(String cacheName, Class<?> keyType, ObjectMapper keyMapper) {
        if (keyType == String.class) {
            return new Plain(encodedKey -> encodedKey);
        }
        if (keyType == Long.class) {
            return new Plain(Long::valueOf);
        }
        if (keyType == Integer.class) {
            return new Plain(Integer::valueOf);
        }
        return new Tagged(cacheName, keyType, keyMapper);
    }

    /** Keys whose own toString is their unambiguous text form. */
    private record Plain(Function<String, Object> parser) implements KeyCodec {

        @Override
        public String encode(Object key) {
            return key.toString();
        }

        @Override
        public Object decode(String encodedKey) {
            return parser.apply(encodedKey);
        }
    }

    /** Keys of mixed or non-scalar types. */
    private static final class Tagged implements KeyCodec {

        private final String cacheName;
        private final Class<?> keyType;
        private final ObjectWriter writer;
        private final ObjectReader reader;

        Tagged(String cacheName, Class<?> keyType, ObjectMapper mapper) {
            this.cacheName = cacheName;
            this.keyType = keyType;
            this.writer = mapper.writerFor(Object.class);
            this.reader = mapper.readerFor(Object.class);
        }

        @Override
        public String encode(Object key) {
            if (key instanceof String s) {
                return !s.isEmpty() && s.charAt(0) == TAG ? TAG + s : s;
            }
            String scalar = scalarTag(key);
            if (scalar != null) {
                return scalar;
            }
            try {
                return TAG + "j:" + writer.writeValueAsString(key);
            } catch (IOException | RuntimeException e) {
                throw new CodecException("Cache[" + cacheName + "] cannot encode a key of type "
                        + key.getClass().getName() + " as JSON: " + e.getMessage(), e);
            }
        }

        private static String scalarTag(Object key) {
            char tag;
            if (key instanceof Long) {
                tag = 'l';
            } else if (key instanceof Integer) {
                tag = 'i';
            } else if (key instanceof Short) {
                tag = 's';
            } else if (key instanceof Byte) {
                tag = 'b';
            } else if (key instanceof Character) {
                tag = 'c';
            } else if (key instanceof Boolean) {
                tag = 'z';
            } else if (key instanceof UUID) {
                tag = 'u';
            } else {
                return null;
            }
            return TAG + String.valueOf(tag) + ':' + key;
        }

        @Override
        public Object decode(String encodedKey) {
            if (encodedKey.isEmpty() || encodedKey.charAt(0) != TAG) {
                return encodedKey;
            }
            if (encodedKey.length() > 1 && encodedKey.charAt(1) == TAG) {
                return encodedKey.substring(1);
            }
            if (encodedKey.length() < 3 || encodedKey.charAt(2) != ':') {
                throw undecodable(encodedKey, "no tag", null);
            }
            String text = encodedKey.substring(3);
            try {
                return switch (encodedKey.charAt(1)) {
                    case 'l' -> Long.valueOf(text);
                    case 'i' -> Integer.valueOf(text);
                    case 's' -> Short.valueOf(text);
                    case 'b' -> Byte.valueOf(text);
                    case 'c' -> text.charAt(0);
                    case 'z' -> Boolean.valueOf(text);
                    case 'u' -> UUID.fromString(text);
                    case 'j' -> reader.readValue(text);
                    default -> throw undecodable(encodedKey, "unknown tag", null);
                };
            } catch (IOException | RuntimeException e) {
                if (e instanceof CodecException codecException) {
                    throw codecException;
                }
                throw undecodable(encodedKey, e.getMessage(), e);
            }
        }

        private CodecException undecodable(String encodedKey, String reason, Throwable cause) {
            return new CodecException("Cache[" + cacheName + "] cannot decode the encoded key '" + encodedKey
                    + "' as a key of type " + keyType.getName() + ": " + reason, cause);
        }
    }
}
