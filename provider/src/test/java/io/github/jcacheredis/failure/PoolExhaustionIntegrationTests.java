package io.github.jcacheredis.failure;

import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
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
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.SingleServerConfig;

/**
 * A client whose connection pool has no free connection is under back-pressure; its Redis is up.
 * Calls that found no connection used to be taken for an outage: the first marked Redis
 * unreachable, the calls after it failed fast (or, degraded, answered as an empty cache) until the
 * health probe saw Redis again. Now each such call waits for a connection up to the client's
 * timeout, then fails alone, saying that the pool was exhausted, and the next call reaches Redis
 * at once.
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
        // an attempt to take the connection gives up after 300 ms: no retries
        try (HeldPool pool = new HeldPool("pool-exhaustion-" + failureMode, failureMode,
                servers -> servers.setTimeout(300).setRetryAttempts(0))) {
            Queue<String> failures = loadWhileThePoolIsExhausted(pool.cache, pool.entries);

            assertEquals(Optional.empty(), pool.manager.unreachableSince(), "Redis was marked unreachable");
            assertEquals(2 * THREADS, failures.size(), "every call found the pool exhausted: " + failures);
            for (String failure : failures) {
                assertFalse(failure.contains("unreachable"), failure);
                assertTrue(failure.startsWith("Cache[c]: ") && failure.contains("connection pool was exhausted"),
                        failure);
            }

            pool.release();
            assertEquals(pool.entries, pool.cache.getAll(pool.entries.keySet()),
                    "the first call after the load reaches Redis");
            pool.cache.putAll(pool.entries);
            assertEquals(Optional.empty(), pool.manager.unreachableSince());
            assertEquals(0, pool.manager.skippedWrites());
        }
    }

    /**
     * With retries on, Redisson waits for a free connection one retry delay per attempt (Redisson
     * 4.7: here 2 × 100 ms, the provider's own settings), far less than a call waits for a reply.
     * The pool is held for 600 ms, well within the 3 s timeout: calls used to fail after
     * Redisson's 200 ms; now they keep waiting, up to the timeout, and all succeed once the
     * connection is free again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fail", "degrade"})
    void callsWaitForAConnectionUpToTheTimeoutNotJustTheClientsRetryDelay(String failureMode) throws Exception {
        try (HeldPool pool = HeldPool.withRetries("pool-wait-" + failureMode, failureMode)) {
            // the fault lasts 600 ms: six of Redisson's waits for a connection, a fifth of the timeout
            CompletableFuture.delayedExecutor(600, TimeUnit.MILLISECONDS).execute(pool::release);

            Queue<String> failures = loadWhileThePoolIsExhausted(pool.cache, pool.entries);

            assertEquals(List.of(), List.copyOf(failures), "no call gave up while the pool was busy for 600 ms");
            assertEquals(pool.entries, pool.cache.getAll(pool.entries.keySet()));
            assertEquals(Optional.empty(), pool.manager.unreachableSince());
            assertEquals(0, pool.manager.skippedWrites());
        }
    }

    /** A clear waits for a connection as other calls do: the pool is held for 600 ms of a 3 s timeout. */
    @ParameterizedTest
    @ValueSource(strings = {"fail", "degrade"})
    void aClearWaitsForAConnectionUpToTheTimeoutToo(String failureMode) throws Exception {
        try (HeldPool pool = HeldPool.withRetries("pool-clear-" + failureMode, failureMode)) {
            CompletableFuture.delayedExecutor(600, TimeUnit.MILLISECONDS).execute(pool::release);

            pool.cache.clear();

            assertEquals(Map.of(), pool.cache.getAll(pool.entries.keySet()), "the clear ran");
            assertEquals(Optional.empty(), pool.manager.unreachableSince());
            assertEquals(0, pool.manager.skippedWrites());
        }
    }

    /**
     * A manager on its own server whose client has a pool of one connection, and a cache that holds
     * the entries; then a blocking pop on that client holds the connection until released.
     */
    private static final class HeldPool implements AutoCloseable {
        final Map<String, String> entries = entries();
        final RedisServer redis = RedisServer.start();
        final RedissonClient client;
        final RedisCacheManager manager;
        final Cache<String, String> cache;
        private final CompletableFuture<String> held;

        HeldPool(String name, String failureMode, Consumer<SingleServerConfig> settings) {
            Config config = new Config();
            SingleServerConfig servers = config.useSingleServer().setAddress(redis.uri()).setConnectionPoolSize(1)
                    .setConnectionMinimumIdleSize(1);
            settings.accept(servers);
            client = Redisson.create(config);
            Properties properties = new Properties();
            properties.setProperty("failure-mode", failureMode);
            manager = (RedisCacheManager) new RedisCachingProvider().getCacheManager(client,
                    URI.create("jcache-redis:" + name), null, properties);
            cache = manager.createCache("c", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            cache.putAll(entries);
            held = client.<String>getBlockingQueue(HOLDER, StringCodec.INSTANCE).pollAsync(1, TimeUnit.MINUTES)
                    .toCompletableFuture();
            until(() -> String.valueOf(redis.call("CLIENT", "LIST")).contains("cmd=blpop"));
        }

        /** A held pool whose client waits 3 s for a reply, and retries once, 100 ms later, as the provider's settings do. */
        static HeldPool withRetries(String name, String failureMode) {
            return new HeldPool(name, failureMode, servers -> servers.setTimeout(3000)
                    .setRetryAttempts(1).setRetryDelay(new ConstantDelay(Duration.ofMillis(100))));
        }

        /** Answers the blocking pop, which gives the connection back. */
        void release() {
            redis.call("LPUSH", HOLDER, "released");
            assertEquals("released", held.orTimeout(10, TimeUnit.SECONDS).join());
        }

        @Override
        public void close() {
            try {
                manager.close();
            } finally {
                client.shutdown();
                redis.close();
            }
        }
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
