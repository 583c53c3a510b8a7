package io.github.jcacheredis.codec;

/**
 * Turns the keys of one cache into the last segment of their Redis key and back. Keys of different
 * types never share an encoded key. Equal Strings, numbers, UUIDs, and lists, sets and maps of such
 * (also inside other objects) give the same encoded key; any other key gives the same encoded key as
 * another exactly when their JSON is equal.
 */
public interface KeyCodec {

    String encode(Object key);

    /**
     * The key for an encoded key read back from Redis (iteration, events, {@code removeAll()}): equal to
     * the key that was encoded, and encoded again to the same encoded key.
     */
    Object decode(String encodedKey);
}
