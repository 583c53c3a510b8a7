package io.github.jcacheredis;

import javax.cache.Cache;

/** An entry handed out by the cache's iterator. */
record RedisCacheEntry<K, V>(K key, V value) implements Cache.Entry<K, V> {

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
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + clazz.getName());
    }
}
