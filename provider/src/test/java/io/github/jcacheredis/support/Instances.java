package io.github.jcacheredis.support;

import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheManager;

/**
 * The managers one test opens, each standing for an instance of the application, in a namespace
 * of the test's own; closing this closes them all. Hold it in a field marked {@code @AutoClose}.
 */
public final class Instances implements AutoCloseable {

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

    @Override
    public void close() {
        managers.forEach(CacheManager::close);
    }
}
