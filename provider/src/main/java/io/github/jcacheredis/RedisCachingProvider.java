package io.github.jcacheredis;

import io.github.jcacheredis.concurrent.ManagerThreads;
import io.github.jcacheredis.config.ManagerConfig;
import io.github.jcacheredis.config.ProviderSettings;
import io.github.jcacheredis.management.MBeans;
import io.github.jcacheredis.store.RedisConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import org.redisson.api.RedissonClient;

/**
 * The JCache provider for Redis. Found through {@code META-INF/services}; managers are kept per
 * class loader and URI. The default URI connects to {@code REDIS_URL}, else the system property
 * {@code redis.url}, else {@code redis://localhost:6379}.
 */
public final class RedisCachingProvider implements CachingProvider {

    private final Map<ClassLoader, Map<URI, RedisCacheManager>> managers = new WeakHashMap<>();
    private final RedisConnection.Pool connections = new RedisConnection.Pool();

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI managerUri = uri == null ? getDefaultURI() : uri;
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        Properties managerProperties = properties == null ? new Properties() : properties;
        synchronized (managers) {
            Map<URI, RedisCacheManager> byUri = managers.computeIfAbsent(loader, k -> new HashMap<>());
            RedisCacheManager manager = byUri.get(managerUri);
            if (manager == null) {
                ManagerConfig config = ManagerConfig.resolve(managerUri, managerProperties, loader);
                ManagerThreads threads = new ManagerThreads();
                manager = new RedisCacheManager(this, managerUri, loader, managerProperties, config.settings(), threads,
                        backend(managerUri, config, threads));
                byUri.put(managerUri, manager);
            }
            return manager;
        }
    }

    /**
     * A CacheManager that uses the application's own Redisson client, registered under {@code uri}
     * like any other. Closing the manager leaves the client running. Provider settings (namespace,
     * codec, ...) come from {@code properties}.
     *
     * @throws CacheException when a manager is already registered under {@code uri}
     */
    public CacheManager getCacheManager(RedissonClient client, URI uri, ClassLoader classLoader, Properties properties) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(uri, "uri");
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        Properties managerProperties = properties == null ? new Properties() : properties;
        synchronized (managers) {
            Map<URI, RedisCacheManager> byUri = managers.computeIfAbsent(loader, k -> new HashMap<>());
            if (byUri.containsKey(uri)) {
                throw new CacheException("a CacheManager is already registered under " + MBeans.withoutPassword(uri));
            }
            ProviderSettings settings = ManagerConfig.settingsForClient(managerProperties);
            ManagerThreads threads = new ManagerThreads();
            RedisCacheManager manager = new RedisCacheManager(this, uri, loader, managerProperties, settings, threads,
                    new RedisBackend(RedisConnection.external(client), settings, uri, threads));
            byUri.put(uri, manager);
            return manager;
        }
    }

    /** Redis, or this JVM's memory for a {@code memory:} URI (no connection to open). */
    private CacheBackend backend(URI uri, ManagerConfig config, ManagerThreads threads) {
        if (config.connection() == null) {
            return new MemoryBackend(System::currentTimeMillis);
        }
        return new RedisBackend(connections.open(config.connection()), config.settings(), uri, threads);
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return ManagerConfig.DEFAULT_URI;
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader());
    }

    @Override
    public void close() {
        List<RedisCacheManager> all = new ArrayList<>();
        synchronized (managers) {
            managers.values().forEach(byUri -> all.addAll(byUri.values()));
        }
        all.forEach(RedisCacheManager::close);
    }

    @Override
    public void close(ClassLoader classLoader) {
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        List<RedisCacheManager> all;
        synchronized (managers) {
            Map<URI, RedisCacheManager> byUri = managers.get(loader);
            all = byUri == null ? List.of() : new ArrayList<>(byUri.values());
        }
        all.forEach(RedisCacheManager::close);
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        URI managerUri = uri == null ? getDefaultURI() : uri;
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        RedisCacheManager manager;
        synchronized (managers) {
            Map<URI, RedisCacheManager> byUri = managers.get(loader);
            manager = byUri == null ? null : byUri.get(managerUri);
        }
        if (manager != null) {
            manager.close();
        }
    }

    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        return false;
    }

    /** Forgets a manager that closed. */
    void release(RedisCacheManager manager) {
        synchronized (managers) {
            Map<URI, RedisCacheManager> byUri = managers.get(manager.getClassLoader());
            if (byUri != null) {
                byUri.remove(manager.getURI(), manager);
                if (byUri.isEmpty()) {
                    managers.remove(manager.getClassLoader());
                }
            }
        }
    }
}
