package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisServer;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * The client's own I/O threads stalled for less than {@code timeout}, as when the JVM is short of
 * CPU (many busy threads on few cores) or paused: commands queue for the event loop and are not
 * written to their connections meanwhile. Redis is fine, so nothing may fail, and the manager must
 * not take Redis to be unreachable.
 */
class ClientStallFaultTests {

    private static final long STALL_MILLIS = 500;

    private static RedisServer redis;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /**
     * Reads, bulk reads and writes issued while every event loop of the manager's client is busy
     * for half the timeout: Redisson gives a command one retry delay per attempt to be written
     * (2 x 100 ms with the provider's settings) and then fails it as "still hasn't been written";
     * such a command never reached Redis, so the call waits on for up to its timeout, like one
     * that found no free connection, and the calls after it go to Redis as usual.
     */
    @Test
    void callsMadeWhileTheClientsEventLoopsStallSucceedOnceTheyRunAgain() throws Exception {
        CacheManager manager = instances.open(URI.create(redis.uri()), Map.of("timeout", "1000"));
        Cache<String, String> cache = manager.createCache("stall",
                new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < 20; i++) {
            keys.add("k" + i);
            cache.put("k" + i, "v" + i);
        }

        CountDownLatch release = new CountDownLatch(1);
        List<EventExecutor> loops = new ArrayList<>();
        ((Redisson) manager.unwrap(RedissonClient.class)).getServiceManager().getGroup().forEach(loops::add);
        CountDownLatch stalled = new CountDownLatch(loops.size());
        for (EventExecutor loop : loops) {
            loop.execute(() -> {
                stalled.countDown();
                awaitQuietly(release);
            });
        }
        assertTrue(stalled.await(5, TimeUnit.SECONDS), "every event loop busy");
        List<CompletableFuture<Object>> calls = List.of(
                CompletableFuture.supplyAsync(() -> cache.getAll(keys)),
                CompletableFuture.supplyAsync(() -> cache.get("k1")),
                CompletableFuture.supplyAsync(() -> {
                    cache.put("k2", "new");
                    return "put";
                }),
                CompletableFuture.supplyAsync(() -> cache.containsKey("k3")));
        try {
            TimeUnit.MILLISECONDS.sleep(STALL_MILLIS); // the stall itself: how long the event loops stay busy
        } finally {
            release.countDown();
        }

        List<Object> results = new ArrayList<>();
        for (CompletableFuture<Object> call : calls) {
            results.add(call.handle((value, failure) -> failure == null ? value : failure).get(10, TimeUnit.SECONDS));
        }
        Map<String, String> all = cache.getAll(keys);
        assertAll(
                () -> assertTrue(results.get(0) instanceof Map<?, ?> map && map.size() == keys.size(),
                        "getAll while the client stalled: " + results.get(0)),
                () -> assertEquals("v1", results.get(1), "get while the client stalled"),
                () -> assertEquals("put", results.get(2), "put while the client stalled"),
                () -> assertEquals(Boolean.TRUE, results.get(3), "containsKey while the client stalled"),
                () -> assertEquals("new", cache.get("k2"), "the put took effect; the next call is not failed fast"),
                () -> assertEquals(keys.size(), all.size(), "a getAll right after"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
