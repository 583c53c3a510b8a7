package io.github.jcacheredis.codec;

/**
 * Turns the keys of one cache into the last segment of their Redis key and back. Keys of different
 * types never share a segment. Equal Strings, numbers, UUIDs, and lists, sets and maps of such
 * (also inside other objects) give the same segment; any other key gives the same segment as
 * another exactly when their JSON is equal.
 */
public interface KeyCodec {

    String encode(Object key);

    /**
     * The key for a segment read back from Redis (iteration, events, {@code removeAll()}): equal to
     * the key that was encoded, and encoded again to the same segment.
     */
    Object decode(String segment);
}
