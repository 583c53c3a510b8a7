package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;

/**
 * The default value codec: JSON that {@code redis-cli GET} shows as is. A value of a final declared
 * type is written bare; otherwise it carries an {@code "@class"} id so that subclasses, boxed
 * numbers and java.time values come back as the same type.
 */
final class JsonValueCodec implements ValueCodec {

    private final String cacheName;
    private final Class<?> declaredType;
    private final TypeAllowlist allowlist;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    JsonValueCodec(String cacheName, Class<?> declaredType, TypeAllowlist allowlist, ObjectMapper mapper) {
        this.cacheName = cacheName;
        this.declaredType = declaredType;
        this.allowlist = allowlist;
        this.writer = mapper.writerFor(declaredType);
        this.reader = mapper.readerFor(declaredType);
    }

    @Override
    public byte[] encode(Object value) {
        if (!allowlist.isAllowed(value.getClass())) {
            throw new CodecException("Cache[" + cacheName + "] refuses a value of type " + value.getClass().getName()
                    + ": it could not be read back, because the type is neither declared for this cache nor"
                    + " in its allowed-packages; declare the cache's value type or add the package to allowed-packages");
        }
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("Cache[" + cacheName + "] cannot write a value of type "
                    + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public Object decode(byte[] bytes, String redisKey) {
        Object value;
        try {
            value = reader.readValue(bytes);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("Cache[" + cacheName + "] cannot read the value stored at Redis key '" + redisKey
                    + "' as " + declaredType.getName() + ": " + e.getMessage(), e);
        }
        if (value == null || !declaredType.isInstance(value)) {
            throw new CodecException("Cache[" + cacheName + "] found " + (value == null ? "null" : value.getClass().getName())
                    + " at Redis key '" + redisKey + "' where a " + declaredType.getName() + " was expected");
        }
        return value;
    }
}
