package io.github.jcacheredis;

import io.github.jcacheredis.concurrent.ManagerThreads;
import io.github.jcacheredis.config.FailureMode;
import io.github.jcacheredis.config.ProviderSettings;
import io.github.jcacheredis.management.CacheConfigurationBean;
import io.github.jcacheredis.management.MBeans;
import java.net.URI;
import io.github.jcacheredis.store.BatchSizes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.redisson.api.RedissonClient;

/**
 * A CacheManager over one Redis connection and namespace (or, for {@code memory:} URIs, this JVM's
 * memory). Caches are registered per manager as the
 * specification says; their data is in Redis, so a manager in another process that opens the same
 * cache name in the same namespace sees the same entries.
 */
public final class RedisCacheManager implements CacheManager {

    private final RedisCachingProvider provider;
    private final URI uri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final ProviderSettings settings;
    private final CacheBackend backend;
    private final ManagerThreads threads;
    private final CacheFactory factory;
    private final Map<String, RedisCache<?, ?>> caches = new LinkedHashMap<>();
    /** Names of caches being created, reserved until they are in {@link #caches}; guarded by it. */
    private final Set<String> creating = new HashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisCacheManager(RedisCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
                      ProviderSettings settings, ManagerThreads threads, CacheBackend backend) {
        this.provider = provider;
        this.uri = uri;
        this.classLoader = classLoader;
        this.properties = properties;
        this.settings = settings;
        this.threads = threads;
        this.backend = backend;
        this.factory = new CacheFactory(settings, classLoader, backend, threads);
    }

    /** The manager's threads, shut down when it closes. */
    ManagerThreads threads() {
        return threads;
    }

    ExecutorService executor() {
        return threads.loaders();
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(configuration, "configuration");
        MutableConfiguration<K, V> copy = CacheFactory.copy(configuration);
        synchronized (caches) {
            if (caches.containsKey(cacheName) || creating.contains(cacheName)) {
                throw new CacheException("A Cache named [" + cacheName + "] already exists in CacheManager " + shownUri());
            }
            creating.add(cacheName);
        }
        // building the cache may open connections, and registering its listeners waits for other
        // instances to confirm: neither holds the lock that getCache, getCacheNames, close and the
        // creation of other caches take
        RedisCache<K, V> cache = null;
        try {
            cache = factory.create(this, cacheName, copy);
        } finally {
            synchronized (caches) {
                creating.remove(cacheName);
                if (cache != null && !closed.get()) {
                    caches.put(cacheName, cache);
                }
            }
        }
        if (closed.get()) {
            cache.close();
            checkOpen();
        }
        try {
            cache.connectListeners();
            updateMBeans(cache);
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
        return cache;
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        RedisCache<?, ?> cache = lookup(cacheName);
        if (cache == null) {
            return null;
        }
        Configuration<?, ?> configuration = cache.configuration();
        if (configuration.getKeyType() != keyType || configuration.getValueType() != valueType) {
            throw new ClassCastException("Cache[" + cacheName + "] has types " + configuration.getKeyType().getName()
                    + " -> " + configuration.getValueType().getName() + ", not " + keyType.getName() + " -> "
                    + valueType.getName());
        }
        @SuppressWarnings("unchecked")
        Cache<K, V> typed = (Cache<K, V>) cache;
        return typed;
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        @SuppressWarnings("unchecked")
        Cache<K, V> cache = (Cache<K, V>) lookup(cacheName);
        return cache;
    }

    @Override
    public Iterable<String> getCacheNames() {
        checkOpen();
        synchronized (caches) {
            return Collections.unmodifiableList(new ArrayList<>(caches.keySet()));
        }
    }

    /** Closes the cache here and deletes its entries from Redis (for every instance). */
    @Override
    public void destroyCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        RedisCache<?, ?> cache = lookup(cacheName);
        if (cache == null || !cache.destroy()) {
            backend.clear(cacheName);
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        RedisCache<?, ?> cache = lookup(cacheName);
        if (cache != null) {
            cache.liveConfiguration().setManagementEnabled(enabled);
            updateMBeans(cache);
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        RedisCache<?, ?> cache = lookup(cacheName);
        if (cache != null) {
            cache.liveConfiguration().setStatisticsEnabled(enabled);
            cache.statistics().setEnabled(enabled);
            updateMBeans(cache);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        provider.release(this);
        for (RedisCache<?, ?> cache : snapshot()) {
            cache.close();
        }
        backend.close();
        threads.shutdown();
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(backend.client())) {
            return clazz.cast(backend.client());
        }
        throw new IllegalArgumentException("CacheManager " + shownUri() + " cannot be unwrapped to " + clazz.getName());
    }

    /**
     * How many commands each round trip of single-entry calls carried so far ({@code batching}): a
     * histogram of batch sizes; all batches of one when calls never overlap or batching is off.
     */
    public BatchSizes.Snapshot batchSizes() {
        return backend.batchSizes();
    }

    /** How many writes were skipped because Redis was unreachable ({@code failure-mode=degrade}). */
    public long skippedWrites() {
        return backend.skippedWrites();
    }

    /**
     * Since when Redis has been unreachable for this manager, as its calls found it (the first call
     * that failed marks the start), or empty while it is reachable.
     */
    public Optional<Instant> unreachableSince() {
        return backend.unreachableSince();
    }

    /** What this manager's caches do while Redis is unreachable. */
    public FailureMode failureMode() {
        return settings.failureMode();
    }

    /** The Redisson client this manager uses; none for a {@code memory:} manager. */
    public RedissonClient redisson() {
        if (backend.client() instanceof RedissonClient client) {
            return client;
        }
        throw new IllegalStateException("CacheManager " + shownUri()
                + " keeps its caches in memory and has no Redisson client");
    }

    /** Called by a closing cache: it is no longer managed here. */
    void release(RedisCache<?, ?> cache) {
        synchronized (caches) {
            caches.remove(cache.getName(), cache);
        }
        MBeans.unregister(MBeans.name(MBeans.Kind.CONFIGURATION, uri, cache.getName()));
        MBeans.unregister(MBeans.name(MBeans.Kind.STATISTICS, uri, cache.getName()));
    }

    private void updateMBeans(RedisCache<?, ?> cache) {
        var configuration = cache.liveConfiguration();
        var configName = MBeans.name(MBeans.Kind.CONFIGURATION, uri, cache.getName());
        var statsName = MBeans.name(MBeans.Kind.STATISTICS, uri, cache.getName());
        if (configuration.isManagementEnabled()) {
            MBeans.register(new CacheConfigurationBean(configuration), configName);
        } else {
            MBeans.unregister(configName);
        }
        if (configuration.isStatisticsEnabled()) {
            MBeans.register(cache.statistics(), statsName);
        } else {
            MBeans.unregister(statsName);
        }
    }

    private RedisCache<?, ?> lookup(String cacheName) {
        synchronized (caches) {
            return caches.get(cacheName);
        }
    }

    private java.util.List<RedisCache<?, ?>> snapshot() {
        synchronized (caches) {
            return new ArrayList<>(caches.values());
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("CacheManager " + shownUri() + " is closed");
        }
    }

    /** This manager's URI as messages show it: without credentials. */
    private String shownUri() {
        return MBeans.withoutPassword(uri);
    }
}
