package io.github.jcacheredis.fault;

import static io.github.jcacheredis.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.LocalTier;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's FLUSHDB, which also deletes the registry of who listens, while instances keep
 * listeners and near caches: the writes made afterwards must still reach other instances'
 * listeners, EXPIRED listeners and published near caches.
 */
class LifecycleFlushFaultTests {

    @AutoClose
    final Instances instances = new Instances();
    private RedisServer redis;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    private CacheManager manager(Map<String, String> settings) {
        return instances.open(URI.create(redis.uri()), settings);
    }

    private static Cache<String, String> plain(CacheManager manager) {
        return manager.createCache("prices", new MutableConfiguration<String, String>().setTypes(String.class,
                String.class));
    }

    private static Cache<String, String> nearCache(CacheManager manager, Object unused) {
        return manager.createCache("prices", new RedisCacheConfiguration<String, String>().nearCache(1_000, null)
                .setTypes(String.class, String.class));
    }

    private static Cache<String, String> sessions(CacheManager manager, long ttlMillis) {
        return manager.createCache("sessions", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
                        new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttlMillis))));
    }

    /**
     * An operator's FLUSHDB also deletes the registry of who listens. The writer's next heartbeat
     * reads the registry without A's registration and stops publishing to A until A's own heartbeat
     * finds its lease gone and registers again: A's listener misses B's writes meanwhile.
     */
    @Test
    void afterAFlushEveryWriteOfBStillReachesAsListener() throws Exception {
        CacheManager managerA = manager(Map.of());
        Cache<String, String> a = plain(managerA);
        EventRecorder recorder = EventRecorder.register(a, false);
        CacheManager managerB = manager(Map.of());
        Cache<String, String> b = plain(managerB);
        b.put("k", "0");
        recorder.until("CREATED k null->0", 5);
        flushRightAfterARenewal();
        for (int i = 1; i <= 40; i++) {
            b.put("k", String.valueOf(i));
            Thread.sleep(100); // writes spread over 4 s: past B's next heartbeats and A's next renewal
        }
        List<String> heard = new ArrayList<>();
        try {
            heard.addAll(recorder.until("UPDATED k 39->40", 5));
        } catch (AssertionError lastNeverCame) {
            heard.addAll(recorder.drain());
        }
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            String expected = (i == 1 ? "CREATED k null->" : "UPDATED k " + (i - 1) + "->") + i;
            if (!heard.contains(expected)) {
                missing.add(expected);
            }
        }
        assertEquals(List.of(), missing, "events of B's writes after the flush that A's listener never heard");
    }

    /**
     * Waits until A renews its registration (its registry field changes), then runs FLUSHDB: B's
     * heartbeat then reads the emptied registry before A's next renewal registers it again.
     */
    private void flushRightAfterARenewal() {
        String registry = instances.namespace() + ":%listeners";
        String before = redis.call("HVALS", registry).toString();
        until("A renews its registration", Duration.ofSeconds(10),
                () -> !redis.call("HVALS", registry).toString().equals(before));
        redis.call("FLUSHDB");
    }

    /**
     * FLUSHDB while A listens for EXPIRED: B's writes after the flush must still keep due times,
     * so that every entry B writes then fires its EXPIRED event on A.
     */
    @Test
    void afterAFlushEveryEntryBWritesIsReportedExpired() throws Exception {
        CacheManager managerA = manager(Map.of());
        EventRecorder recorder = EventRecorder.register(sessions(managerA, 2_000), false);
        Cache<String, String> b = sessions(manager(Map.of()), 2_000);
        b.put("warm", "v");
        recorder.until("CREATED warm null->v", 5);
        flushRightAfterARenewal();
        Map<String, Long> deadlines = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            deadlines.put("k" + i, System.currentTimeMillis() + 2_000);
            b.put("k" + i, "v");
            Thread.sleep(100);
        }
        // "warm" may expire, and be reported, before the flush: only the keys written after it count
        Set<String> missing = new TreeSet<>(deadlines.keySet());
        long end = System.currentTimeMillis() + 2_000 + 3_000;
        try {
            while (!missing.isEmpty() && System.currentTimeMillis() < end) {
                missing.remove(recorder.next("EXPIRED", 5).split(" ")[1]);
            }
        } catch (AssertionError noMoreCame) {
            // the assertion below names the entries whose events never came
        }
        assertEquals(Set.of(), missing, "entries B wrote after the flush whose expiry A never heard of");
    }

    /**
     * FLUSHDB while A keeps a published near cache: the flush itself is a write from outside the
     * provider (not covered), but B's writes through the provider afterwards must reach A's near cache.
     */
    @Test
    void afterAFlushBsWritesReachAsPublishedNearCache() throws Exception {
        Cache<String, String> a = nearCache(manager(Instances.NEAR_CACHE_PUBLISHED), null);
        Cache<String, String> b = plain(manager(Map.of()));
        b.put("k", "v0");
        LocalTier.awaitServedLocally(redis, a, "k", "v0");
        flushRightAfterARenewal();
        List<String> stale = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String before = "v" + (i - 1);
            a.get("k"); // held locally again (once trusted)
            b.put("k", "v" + i);
            long start = System.nanoTime();
            while (before.equals(a.get("k")) && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500)) {
                Thread.onSpinWait();
            }
            if (before.equals(a.get("k"))) {
                stale.add(before);
            }
            Thread.sleep(100);
        }
        assertEquals(List.of(), stale, "values A's near cache still served 500 ms after B replaced them through the provider");
    }
}
