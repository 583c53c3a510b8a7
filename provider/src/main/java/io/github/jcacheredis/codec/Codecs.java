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

    private static ObjectMapper valueMapper(TypeAllowlist allowlist) {
        return JsonMappers.forValues(allowlist);
    }
}
