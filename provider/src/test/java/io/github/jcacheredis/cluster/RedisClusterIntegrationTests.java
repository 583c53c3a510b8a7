package io.github.jcacheredis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One cache spread over a three-master Redis Cluster, with every bulk operation across slots. */
class RedisClusterIntegrationTests {

    private static RedisCluster cluster;
    private static URI config;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3);
        config = cluster.writeRedissonConfig("namespace: shop");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static CacheManager newInstance() {
        return new RedisCachingProvider().getCacheManager(config, RedisClusterIntegrationTests.class.getClassLoader(),
                new Properties());
    }

    private static Cache<Integer, String> cache(CacheManager manager, String name) {
        return manager.createCache(name, new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
    }

    @Test
    void entriesOfOneCacheSpreadOverAllMastersAndBulkOperationsWorkAcrossSlots() {
        try (CacheManager manager = newInstance()) {
            Cache<Integer, String> products = cache(manager, "products");
            Map<Integer, String> values = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                values.put(i, "p" + i);
            }
            products.putAll(values);

            for (RedisServer master : cluster.masters()) {
                List<?> keys = (List<?>) master.call("KEYS", "shop:products:*");
                assertTrue(keys.size() > 50, "master " + master.port() + " holds " + keys.size() + " of 300 entries");
            }
            assertEquals(values, products.getAll(values.keySet()));

            Set<Integer> seen = new HashSet<>();
            products.forEach(entry -> seen.add(entry.getKey()));
            assertEquals(values.keySet(), seen);

            Set<Integer> half = new HashSet<>();
            for (int i = 0; i < 150; i++) {
                half.add(i);
            }
            products.removeAll(half);
            assertEquals(150, products.getAll(values.keySet()).size());

            products.clear();
            for (RedisServer master : cluster.masters()) {
                assertEquals(List.of(), master.call("KEYS", "shop:products:*"));
            }
        }
    }

    @Test
    void concurrentIncrementsThroughInvokeAreAtomicOnACluster() throws Exception {
        try (CacheManager manager = newInstance()) {
            Cache<String, Long> counters = manager.createCache("counters",
                    new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new java.util.ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 100; i++) {
                            counters.invoke("hits", (entry, args) -> {
                                entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
                                return null;
                            });
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(400L, counters.get("hits"));
        }
    }

    @Test
    void anotherInstanceSeesWritesAndClearOnTheCluster() {
        try (CacheManager a = newInstance(); CacheManager b = newInstance()) {
            Cache<Integer, String> onA = cache(a, "shared");
            Cache<Integer, String> onB = cache(b, "shared");
            onA.put(1, "one");
            assertEquals("one", onB.get(1));
            onB.remove(1);
            assertEquals(null, onA.get(1));
        }
    }
}
