package io.github.jcacheredis.integration;

import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/** The cache's CacheLoader; its failures reach the caller as {@link CacheLoaderException}. */
public final class ReadThrough<K, V> {

    private final CacheLoader<K, V> loader;
    private final boolean readThrough;

    private ReadThrough(CacheLoader<K, V> loader, boolean readThrough) {
        this.loader = loader;
        this.readThrough = readThrough;
    }

    public static <K, V> ReadThrough<K, V> of(CacheLoader<K, V> loader, boolean readThrough) {
        return new ReadThrough<>(loader, readThrough);
    }

    /** True when misses load through the loader. */
    public boolean isReadThrough() {
        return readThrough && loader != null;
    }

    /** True when a loader is configured (loadAll works with or without read-through). */
    public boolean hasLoader() {
        return loader != null;
    }

    /** The loader itself, for closing; null when none. */
    public Object delegate() {
        return loader;
    }

    public V load(K key) {
        try {
            return loader.load(key);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    public Map<K, V> loadAll(Iterable<? extends K> keys) {
        try {
            return loader.loadAll(keys);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    private static CacheLoaderException wrap(RuntimeException e) {
        return e instanceof CacheLoaderException cle ? cle : new CacheLoaderException(e);
    }
}
