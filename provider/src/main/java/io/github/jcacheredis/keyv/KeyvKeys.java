package io.github.jcacheredis.keyv;

import io.github.jcacheredis.codec.CodecException;
import io.github.jcacheredis.codec.Codecs;
import io.github.jcacheredis.codec.KeyCodec;
import javax.cache.CacheException;

/**
 * Keys in keyv's format are the strings a Node.js service passes to keyv, verbatim after the
 * namespace. A cache declared with String keys uses them as they are, one with Long or Integer
 * keys their decimal form (keyv turns a number key into the same text); an untyped cache takes
 * String keys only, since nothing in a keyv key tells a number from a string.
 */
final class KeyvKeys {

    private KeyvKeys() {
    }

    static KeyCodec forType(String cacheName, Class<?> keyType) {
        if (keyType == String.class || keyType == Long.class || keyType == Integer.class) {
            return Codecs.verbatimKeys(cacheName, keyType);
        }
        if (keyType == Object.class) {
            return new StringsOnly(cacheName);
        }
        throw new CacheException("Cache[" + cacheName + "] uses format=keyv, whose keys are strings, but declares keys"
                + " of type " + keyType.getName() + "; declare String keys (or Long or Integer, stored in decimal)");
    }

    /** The keys of an untyped cache: strings, as keyv has them. */
    private record StringsOnly(String cacheName) implements KeyCodec {

        @Override
        public String encode(Object key) {
            if (key instanceof String text) {
                return text;
            }
            throw new CodecException("Cache[" + cacheName + "] uses format=keyv, whose keys are strings, and cannot"
                    + " store a key of type " + key.getClass().getName() + "; pass its text (String.valueOf) or"
                    + " declare the cache's key type");
        }

        @Override
        public Object decode(String encodedKey) {
            return encodedKey;
        }
    }
}
