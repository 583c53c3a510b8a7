package io.github.jcacheredis.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.support.TestRedis;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Micrometer meters count what a cache did, for a manager whose URI carries a query
 * ({@code redis://...?namespace=...}), where Micrometer's own JCacheMetrics cannot build the
 * statistics MXBean's name.
 */
class RedisCacheMetricsIntegrationTests {

    @Test
    void getsPutsAndRemovalsAreCountedForAManagerWithANamespaceInItsUri() {
        String namespace = TestRedis.uniqueNamespace();
        URI uri = TestRedis.uri(namespace);
        try (CacheManager manager = TestRedis.newManager(namespace)) {
            Cache<String, String> cache = manager.createCache("prices", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class).setStatisticsEnabled(true));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RedisCacheMetrics.monitor(registry, cache, "app", "shop");

            cache.get("a");
            cache.put("a", "1");
            cache.get("a");
            cache.get("a");
            cache.remove("a");

            assertEquals(uri, manager.getURI());
            assertEquals(2.0, count(registry, "cache.gets", "hit"));
            assertEquals(1.0, count(registry, "cache.gets", "miss"));
            assertEquals(1.0, registry.get("cache.puts").tag("cache", "prices").tag("app", "shop").functionCounter().count());
            assertEquals(1.0, registry.get("cache.removals").tag("cache", "prices").functionCounter().count());

            manager.enableStatistics("prices", false);
            assertEquals(0.0, count(registry, "cache.gets", "hit"), "statistics off: the meters read zero");
        }
    }

    private static double count(SimpleMeterRegistry registry, String name, String result) {
        FunctionCounter counter = registry.get(name).tag("cache", "prices").tag("result", result).functionCounter();
        return counter.count();
    }
}
