package io.github.jcacheredis.integration;

import javax.cache.Cache;

/** A key and its value as the cache hands them out: to its iterator's callers, and to a CacheWriter. */
public record ImmutableEntry<K, V>(K key, V value) implements Cache.Entry<K, V> {

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return unwrap(this, clazz);
    }

    /**
     * What {@code unwrap} does for every entry the provider hands out (entries, events, processor
     * entries): the entry itself if it is a {@code clazz}, else an {@link IllegalArgumentException}.
     */
    public static <T> T unwrap(Cache.Entry<?, ?> entry, Class<T> clazz) {
        if (clazz.isInstance(entry)) {
            return clazz.cast(entry);
        }
        throw new IllegalArgumentException(entry.getClass().getSimpleName() + " cannot be unwrapped to " + clazz.getName());
    }
}
