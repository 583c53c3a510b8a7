package io.github.jcacheredis.codec;

/**
 * Turns the keys of one cache into the last segment of their Redis key and back. Keys equal in
 * Java give the same segment; keys of different types never do.
 */
public interface KeyCodec {

    String encode(Object key);

    /** The key for a segment read back from Redis (iteration, events). */
    Object decode(String segment);
}
