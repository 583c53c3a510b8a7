package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** The key and value codec of one cache, built from its declared types and the manager's settings. */
public record Codecs(KeyCodec keys, ValueCodec values) {

    public static Codecs create(String cacheName, Class<?> keyType, Class<?> valueType, CodecKind kind,
                                List<String> allowedPackages, ClassLoader classLoader) {
        List<Class<?>> declared = new ArrayList<>(2);
        declared.add(keyType);
        declared.add(valueType);
        TypeAllowlist allowlist = new TypeAllowlist(declared, allowedPackages, classLoader);
        KeyCodec keys = KeyCodecs.forType(cacheName, keyType, JsonMappers.forKeys(allowlist));
        ValueCodec values = kind == CodecKind.JAVA
                ? new JavaSerializationValueCodec(cacheName, valueType, allowlist)
                : new JsonValueCodec(cacheName, valueType, allowlist, valueMapper(allowlist));
        return new Codecs(keys, values);
    }

    /**
     * The key codec of a cache declared with String, Long or Integer keys: their text as it is,
     * which other programs can write too.
     */
    public static KeyCodec verbatimKeys(String cacheName, Class<?> keyType) {
        if (keyType != String.class && keyType != Long.class && keyType != Integer.class) {
            throw new IllegalArgumentException("only String, Long and Integer keys are verbatim, not " + keyType.getName());
        }
        return KeyCodecs.forType(cacheName, keyType, null); // no mapper: these keys never go through JSON
    }

    /**
     * The value mapper without type ids, for formats that other programs share: it maps objects by
     * their fields, as the JSON codec does, and instantiates only the types it is asked for.
     */
    public static ObjectMapper mapperWithoutTypeIds(ClassLoader classLoader) {
        return JsonMappers.withoutTypeIds(classLoader);
    }

    private static ObjectMapper valueMapper(TypeAllowlist allowlist) {
        return JsonMappers.forValues(allowlist);
    }
}
