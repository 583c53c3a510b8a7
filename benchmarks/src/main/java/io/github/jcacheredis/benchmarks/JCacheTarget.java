package io.github.jcacheredis.benchmarks;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.store.BatchSizes;
import java.io.Serializable;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import javax.cache.spi.CachingProvider;

/**
 * A target behind the {@code javax.cache} API, for any provider: this project's or Redisson's.
 * Both caches are typed {@code <String, Payload>}, store-by-value, without statistics.
 */
final class JCacheTarget implements Target {

    static final String PLAIN = "payloads";
    static final String EXPIRING = "payloads-accessed";
    static final int NEAR_CACHE_ENTRIES = 20_000;

    private static final Increment INCREMENT = new Increment();

    private final CacheManager manager;
    private final Cache<String, Payload> cache;
    private final Cache<String, Payload> expiring;
    /** This project's manager, which counts its batches; null for Redisson's. */
    private final RedisCacheManager ours;

    private JCacheTarget(CacheManager manager, Cache<String, Payload> cache, Cache<String, Payload> expiring) {
        this.manager = manager;
        this.cache = cache;
        this.expiring = expiring;
        this.ours = ours(manager);
    }

    private static RedisCacheManager ours(CacheManager manager) {
        try {
            return manager.unwrap(RedisCacheManager.class);
        } catch (IllegalArgumentException e) {
            return null; // another provider's manager
        }
    }

    /**
     * Opens the manager at {@code uri} of the provider class {@code providerClass} (selected by
     * name: both providers are on the class path) and creates the two caches, emptied of anything
     * an earlier run left behind.
     */
    static JCacheTarget open(String providerClass, URI uri, String cachePrefix) {
        return open(providerClass, uri, cachePrefix, MutableConfiguration::new);
    }

    /** This project's provider with a near cache of {@link #NEAR_CACHE_ENTRIES} on both caches. */
    static JCacheTarget openWithNearCache(URI uri) {
        return openWithNearCache(Caching.getCachingProvider(RedisCachingProvider.class.getName()), uri);
    }

    /**
     * The same, from {@code provider}: a provider instance of its own gives a manager of its own, as
     * a second application instance would have.
     */
    static JCacheTarget openWithNearCache(CachingProvider provider, URI uri) {
        return open(provider.getCacheManager(uri, null), "near-",
                () -> new RedisCacheConfiguration<String, Payload>().nearCache(NEAR_CACHE_ENTRIES, null));
    }

    private static JCacheTarget open(String providerClass, URI uri, String cachePrefix,
                                     Supplier<MutableConfiguration<String, Payload>> configurations) {
        return open(Caching.getCachingProvider(providerClass).getCacheManager(uri, null), cachePrefix, configurations);
    }

    private static JCacheTarget open(CacheManager manager, String cachePrefix,
                                     Supplier<MutableConfiguration<String, Payload>> configurations) {
        try {
            Cache<String, Payload> cache = create(manager, cachePrefix + PLAIN,
                    configurations.get().setTypes(String.class, Payload.class));
            Cache<String, Payload> expiring = create(manager, cachePrefix + EXPIRING,
                    configurations.get().setTypes(String.class, Payload.class)
                            .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10))));
            return new JCacheTarget(manager, cache, expiring);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Cache<String, Payload> create(CacheManager manager, String name,
                                                 MutableConfiguration<String, Payload> configuration) {
        Cache<String, Payload> cache = manager.createCache(name, configuration);
        cache.clear();
        return cache;
    }

    @Override
    public Payload get(String key) {
        return cache.get(key);
    }

    @Override
    public void put(String key, Payload value) {
        cache.put(key, value);
    }

    @Override
    public Map<String, Payload> getAll(Set<String> keys) {
        return cache.getAll(keys);
    }

    @Override
    public void putAll(Map<String, Payload> entries) {
        cache.putAll(entries);
    }

    @Override
    public Payload getFromExpiring(String key) {
        return expiring.get(key);
    }

    @Override
    public void putAllExpiring(Map<String, Payload> entries) {
        expiring.putAll(entries);
    }

    @Override
    public long increment(String key) {
        return cache.invoke(key, INCREMENT);
    }

    @Override
    public long iterate() {
        long count = 0;
        for (Cache.Entry<String, Payload> entry : cache) {
            if (entry.getValue() != null) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void clear() {
        cache.clear();
    }

    @Override
    public Optional<BatchSizes.Snapshot> batchSizes() {
        return ours == null ? Optional.empty() : Optional.of(ours.batchSizes());
    }

    @Override
    public void close() {
        try {
            manager.destroyCache(cache.getName());
            manager.destroyCache(expiring.getName());
        } finally {
            manager.close();
        }
    }

    /** Adds one to the counter; a missing entry starts at one. */
    static final class Increment implements EntryProcessor<String, Payload, Long>, Serializable {

        private static final long serialVersionUID = 1L;

        @Override
        public Long process(MutableEntry<String, Payload> entry, Object... arguments) {
            Payload current = entry.getValue();
            Payload next = current == null ? Payload.of(entry.getKey()).incremented() : current.incremented();
            entry.setValue(next);
            return next.counter();
        }
    }
}
