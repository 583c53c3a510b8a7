package io.github.jcacheredis;

import io.github.jcacheredis.concurrent.ManagerThreads;
import io.github.jcacheredis.config.ManagerConfig;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.CacheManager;

/**
 * Cache managers over the in-memory store, with a clock the test moves: the JCache rules the
 * operations decide, tested in this JVM without Redis and without sleeping.
 */
final class InMemoryCaches {

    private final AtomicLong now = new AtomicLong(1_000_000);

    /** A new manager whose TTLs count on this clock. */
    CacheManager manager() {
        Properties properties = new Properties();
        URI uri = URI.create("memory:rules-" + System.nanoTime());
        return new RedisCacheManager(new RedisCachingProvider(), uri, getClass().getClassLoader(), properties,
                ManagerConfig.settingsForClient(properties), new ManagerThreads(), new MemoryBackend(now::get));
    }

    /** Moves the clock on. */
    void advance(long millis) {
        now.addAndGet(millis);
    }
}
