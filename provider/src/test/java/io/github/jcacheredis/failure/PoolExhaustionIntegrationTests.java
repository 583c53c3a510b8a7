package io.github.jcacheredis.failure;

import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * A client whose connection pool has no free connection is under back-pressure; its Redis is up.
 * Calls that found no connection used to be taken for an outage: the first marked Redis
 * unreachable, the calls after it failed fast (or, degraded, answered as an empty cache) until the
 * health probe saw Redis again. Now each such call fails alone, saying that the pool was exhausted,
 * and the next call reaches Redis at once.
 *
 * <p>The manager's client has a pool of one connection. A blocking pop on that client holds it while
 * 64 threads call getAll and putAll of 100 entries each, so that every one of those calls finds the
 * pool exhausted; the pop is then answered, which gives the connection back.
 */
class PoolExhaustionIntegrationTests {

    private static final int THREADS = 64;
    private static final int KEYS = 100;
    private static final String HOLDER = "holds-the-only-connection";

    @ParameterizedTest
    @ValueSource(strings = {"fail", "degrade"})
    void callsThatFindThePoolExhaustedFailAloneAndRedisIsNotMarkedUnreachable(String failureMode) throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedissonClient client = Redisson.create(oneConnection(redis));
            Properties properties = new Properties();
            properties.setProperty("failure-mode", failureMode);
            try (RedisCacheManager manager = (RedisCacheManager) new RedisCachingProvider().getCacheManager(client,
                    URI.create("jcache-redis:pool-exhaustion-" + failureMode), null, properties)) {
                Cache<String, String> cache = manager.createCache("c",
                        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
                Map<String, String> entries = entries();
                cache.putAll(entries);

                CompletableFuture<String> held = client.<String>getBlockingQueue(HOLDER, StringCodec.INSTANCE)
                        .pollAsync(1, TimeUnit.MINUTES).toCompletableFuture();
                until(() -> String.valueOf(redis.call("CLIENT", "LIST")).contains("cmd=blpop"));

                Queue<String> failures = loadWhileThePoolIsExhausted(cache, entries);

                assertEquals(Optional.empty(), manager.unreachableSince(), "Redis was marked unreachable");
                assertEquals(2 * THREADS, failures.size(), "every call found the pool exhausted: " + failures);
                for (String failure : failures) {
                    assertFalse(failure.contains("unreachable"), failure);
                    assertTrue(failure.startsWith("Cache[c]: ") && failure.contains("connection pool was exhausted"),
                            failure);
                }

                redis.call("LPUSH", HOLDER, "released");
                assertEquals("released", held.get(10, TimeUnit.SECONDS));
                assertEquals(entries, cache.getAll(entries.keySet()), "the first call after the load reaches Redis");
                cache.putAll(entries);
                assertEquals(Optional.empty(), manager.unreachableSince());
                assertEquals(0, manager.skippedWrites());
            } finally {
                client.shutdown();
            }
        }
    }

    /** One connection, and an attempt to take it that gives up after 300 ms: no retries. */
    private static Config oneConnection(RedisServer redis) {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uri()).setConnectionPoolSize(1).setConnectionMinimumIdleSize(1)
                .setTimeout(300).setRetryAttempts(0);
        return config;
    }

    private static Map<String, String> entries() {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            entries.put("k" + i, "v" + i);
        }
        return entries;
    }

    /** Every thread calls getAll, then putAll, all starting together; returns the messages of the calls that failed. */
    private static Queue<String> loadWhileThePoolIsExhausted(Cache<String, String> cache, Map<String, String> entries)
            throws Exception {
        Set<String> keys = new LinkedHashSet<>(entries.keySet());
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(threads.submit(() -> {
                    start.await();
                    record(failures, () -> cache.getAll(keys));
                    record(failures, () -> cache.putAll(entries));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(1, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        return failures;
    }

    private static void record(Queue<String> failures, Runnable call) {
        try {
            call.run();
        } catch (CacheException e) {
            failures.add(e.getMessage());
        }
    }
}
