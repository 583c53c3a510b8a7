package io.github.jcacheredis.codec;

/**
 * Encodes the values of one cache to the bytes stored in Redis and back. Implementations are
 * thread-safe and refuse payloads naming classes outside the cache's {@link TypeAllowlist}.
 */
public interface ValueCodec {

    /** The bytes for {@code value}; throws {@link CodecException} when it cannot be encoded. */
    byte[] encode(Object value);

    /**
     * The value for {@code bytes}; throws {@link CodecException} when they are not a readable value
     * of an allowed type. {@code redisKey} only serves the error message.
     */
    Object decode(byte[] bytes, String redisKey);
}
