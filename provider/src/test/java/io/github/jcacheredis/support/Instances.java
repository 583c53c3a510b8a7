package io.github.jcacheredis.support;

import io.github.jcacheredis.RedisCachingProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheManager;

/**
 * The managers one test opens, each standing for an instance of the application, in a namespace
 * of the test's own; closing this closes them all. Hold it in a field marked {@code @AutoClose}.
 */
public final class Instances implements AutoCloseable {

    /**
     * Settings for a manager whose caches keep a near cache invalidated by what writers publish
     * (not by CLIENT TRACKING), so that tests of that path keep testing it whatever the server allows.
     */
    public static final Map<String, String> NEAR_CACHE_PUBLISHED = Map.of(
            "near-cache", "1000",
            "near-cache-invalidation", "published");

    private final String namespace = TestRedis.uniqueNamespace();
    private final List<CacheManager> managers = new ArrayList<>();

    public String namespace() {
        return namespace;
    }

    /** Keeps {@code manager} to be closed after the test; returns it. */
    public CacheManager add(CacheManager manager) {
        managers.add(manager);
        return manager;
    }

    /**
     * A new manager on {@code uri} in this namespace, from a provider of its own (another instance
     * of the application), with further provider settings; closed after the test.
     */
    public CacheManager open(URI uri, Map<String, String> settings) {
        Properties properties = new Properties();
        properties.setProperty("namespace", namespace);
        settings.forEach(properties::setProperty);
        return add(new RedisCachingProvider().getCacheManager(uri, Instances.class.getClassLoader(), properties));
    }

    @Override
    public void close() {
        managers.forEach(CacheManager::close);
    }
}
