package io.github.jcacheredis.fault;

import static io.github.jcacheredis.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.store.ExpiryIndex;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.LocalTier;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lifecycle operations across instances (destroyCache, close, a cache created again while its
 * predecessor closes, a manager closed and opened again, an operator's FLUSHDB, which also deletes
 * the registry of who listens): what another instance's near cache serves and what its listeners
 * hear afterwards, and what stays in Redis.
 */
class LifecycleFaultTests {

    private static final long SEEN_WITHIN_MILLIS = 1_000;

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

    /** Records created and updated events only: an EXPIRED listener anywhere keeps near caches unused. */
    static final class Writes implements CacheEntryCreatedListener<String, String>,
            CacheEntryUpdatedListener<String, String>, Serializable {

        private static final long serialVersionUID = 1L;
        static final Map<String, BlockingQueue<String>> QUEUES = new ConcurrentHashMap<>();
        private final String id = UUID.randomUUID().toString();

        Writes() {
            QUEUES.put(id, new LinkedBlockingQueue<>());
        }

        MutableCacheEntryListenerConfiguration<String, String> configuration() {
            return new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(this), null, true, false);
        }

        List<String> drain() {
            List<String> drained = new ArrayList<>();
            QUEUES.get(id).drainTo(drained);
            return drained;
        }

        /** The events heard until {@code expected} has come, or for at most 5 s. */
        List<String> drainUntil(String expected) throws InterruptedException {
            List<String> drained = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!drained.contains(expected) && System.nanoTime() < deadline) {
                String event = QUEUES.get(id).poll(50, TimeUnit.MILLISECONDS);
                if (event != null) {
                    drained.add(event);
                }
            }
            QUEUES.get(id).drainTo(drained);
            return drained;
        }

        private void record(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            events.forEach(e -> QUEUES.get(id).add(e.getEventType() + " " + e.getKey() + " " + e.getOldValue() + "->"
                    + e.getValue()));
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            record(events);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            record(events);
        }
    }

    private static Cache<String, String> nearCache(CacheManager manager, Writes listener) {
        RedisCacheConfiguration<String, String> configuration = new RedisCacheConfiguration<String, String>()
                .nearCache(1_000, null);
        configuration.setTypes(String.class, String.class);
        if (listener != null) {
            configuration.addCacheEntryListenerConfiguration(listener.configuration());
        }
        return manager.createCache("prices", configuration);
    }

    private static Cache<String, String> plain(CacheManager manager) {
        return manager.createCache("prices", new MutableConfiguration<String, String>().setTypes(String.class,
                String.class));
    }

    /** True when {@code read} still returns {@code stale} {@code millis} ms from now. */
    private static boolean stillServed(Supplier<String> read, String stale, long millis) {
        long start = System.nanoTime();
        while (stale.equals(read.get()) && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(millis)) {
            Thread.onSpinWait();
        }
        return stale.equals(read.get());
    }

    /** Fails unless {@code read} stops returning {@code stale} within a second of now. */
    private static void seenWithinASecond(Supplier<String> read, String stale) {
        assertFalse(stillServed(read, stale, SEEN_WITHIN_MILLIS),
                "still served '" + stale + "' " + SEEN_WITHIN_MILLIS + " ms after the change");
    }

    /**
     * Instance A closes its cache while another thread of A creates the cache again,
     * and the closing cache's withdrawal of its listener registration is slow (its HDEL held on the
     * network). Instance B then changes a key A's new near cache holds: A must stop serving the old
     * value. Tracking mode: the closing cache's store unregisters its prefix from the manager's
     * tracking connection, whichever tier is registered under it now.
     */
    @Test
    void aCacheCreatedAgainWhileItsPredecessorClosesKeepsItsTrackedNearCacheInStep() throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            CacheManager a = instances.open(URI.create(proxy.uri()), Map.of("timeout", "5000"));
            Cache<String, String> old = nearCache(a, new Writes()); // a listener: close withdraws
            Cache<String, String> b = plain(manager(Map.of()));
            b.put("k", "v1");

            Cache<String, String> recreated = recreateWhileClosing(proxy, a, old, null);

            LocalTier.awaitServedLocally(redis, recreated, "k", "v1");
            b.put("k", "v2");
            seenWithinASecond(() -> recreated.get("k"), "v1");
        }
    }

    /**
     * As above with published invalidations and a listener on the new cache: the closing cache's
     * withdrawal is made under the same registry field (prefix and instance id) as the new cache's
     * registration, and so withdraws the new one. B's writes must still reach A's listener and near cache.
     */
    @Test
    void aCacheCreatedAgainWhileItsPredecessorClosesStaysRegistered() throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            Map<String, String> published = new HashMap<>(Instances.NEAR_CACHE_PUBLISHED);
            published.put("timeout", "5000");
            CacheManager a = instances.open(URI.create(proxy.uri()), published);
            Cache<String, String> old = nearCache(a, null);
            Cache<String, String> b = plain(manager(Map.of()));
            b.put("k", "v1");

            Writes recorder = new Writes();
            Cache<String, String> recreated = recreateWhileClosing(proxy, a, old, recorder);

            LocalTier.awaitServedLocally(redis, recreated, "k", "v1");
            List<String> stale = new ArrayList<>();
            for (int i = 2; i <= 20; i++) {
                String before = "v" + (i - 1);
                b.put("k", "v" + i);
                if (stillServed(() -> recreated.get("k"), before, SEEN_WITHIN_MILLIS)) {
                    stale.add(before);
                }
                Thread.sleep(100);
            }
            List<String> heard = recorder.drainUntil("UPDATED k v19->v20");
            assertEquals("stale: [], updates heard: 19", "stale: " + stale + ", updates heard: "
                    + heard.stream().filter(e -> e.startsWith("UPDATED k")).count(),
                    "values A's near cache still served a second after B replaced them, and how many of B's 19"
                    + " updates A's listener heard: " + heard);
        }
    }

    /**
     * Closes {@code old} of {@code a} on another thread while its withdrawal (HDEL) is held on the
     * network, creates the cache again meanwhile, then lets the withdrawal through.
     */
    private static Cache<String, String> recreateWhileClosing(TcpProxy proxy, CacheManager a,
                                                              Cache<String, String> old, Writes listener)
            throws Exception {
        TcpProxy.Hold hold = proxy.holdRequest("HDEL");
        CompletableFuture<Void> closing = CompletableFuture.runAsync(old::close);
        hold.awaitHeld(Duration.ofSeconds(5));
        until("the closing cache left the manager", Duration.ofSeconds(5), () -> a.getCache("prices") == null);
        CompletableFuture<Cache<String, String>> creating = CompletableFuture.supplyAsync(() -> nearCache(a, listener));
        try {
            creating.get(1_500, TimeUnit.MILLISECONDS); // as far as it gets while the withdrawal is held
        } catch (TimeoutException waitsForTheWithdrawal) {
            // the new cache's registration may wait for the closing one's withdrawal
        }
        hold.release();
        closing.get(10, TimeUnit.SECONDS);
        return creating.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tracking", "published"})
    void destroyCacheOnAEmptiesBsNearCacheAndBWorksWithTheRecreatedCache(String mode) throws Exception {
        Map<String, String> settings = Map.of("near-cache", "1000", "near-cache-invalidation", mode);
        CacheManager managerB = manager(settings);
        Writes heard = new Writes();
        Cache<String, String> b = nearCache(managerB, heard);
        CacheManager managerA = manager(settings);
        Cache<String, String> a = nearCache(managerA, null);
        for (int i = 0; i < 50; i++) {
            a.put("k" + i, "v");
        }
        LocalTier.awaitServedLocally(redis, b, "k0", "v");
        LocalTier.awaitServedLocally(redis, b, "k49", "v");

        managerA.destroyCache("prices");
        seenWithinASecond(() -> b.get("k0"), "v");
        seenWithinASecond(() -> b.get("k49"), "v");
        assertEquals(List.of(), keysOfNamespace().stream().filter(k -> k.contains(":prices:k")).toList());

        // A creates the cache again with another configuration (no near cache, an expiry policy)
        Cache<String, String> again = managerA.createCache("prices", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class).setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
                        new javax.cache.expiry.Duration(TimeUnit.SECONDS, 30))));
        heard.drain();
        again.put("n", "w");
        assertEquals("w", b.get("n"));
        LocalTier.awaitServedLocally(redis, b, "n", "w");
        again.put("n", "w2");
        seenWithinASecond(() -> b.get("n"), "w");
        b.put("m", "x");
        assertEquals("x", again.get("m"));
        List<String> events = heard.drainUntil("UPDATED n w->w2");
        assertTrue(events.contains("UPDATED n w->w2"), "B's listener hears A's writes to the recreated cache: " + events);
    }

    /** destroyCache on A while B listens for EXPIRED: none for the destroyed entries; B hears the recreated cache's expiries. */
    @Test
    void destroyCacheOnAFiresNoExpiryOnBAndBHearsTheRecreatedCacheExpire() throws Exception {
        CacheManager managerB = manager(Map.of());
        Cache<String, String> b = ExpiryFaultTests.sessions(managerB, 1_500);
        EventRecorder recorder = EventRecorder.register(b, false);
        CacheManager managerA = manager(Map.of());
        Cache<String, String> a = ExpiryFaultTests.sessions(managerA, 1_500);
        for (int i = 0; i < 50; i++) {
            a.put("k" + i, "v");
        }
        managerA.destroyCache("sessions");
        Thread.sleep(1_500 + 2 * ExpiryIndex.SWEEP_MILLIS + 500);
        assertEquals(List.of(), ExpiryFaultTests.expiredOnly(recorder.drain()),
                "destroyed entries fire no EXPIRED event");

        Cache<String, String> again = ExpiryFaultTests.sessions(managerA, 800);
        long deadline = System.currentTimeMillis() + 800;
        again.put("n", "w");
        ExpiryFaultTests.assertReportedInTime(recorder, Map.of("n", deadline + 50), "w");
        assertEquals(List.of(), ExpiryFaultTests.expiredOnly(recorder.drainAfter(1_000)));
    }

    /** Every key of this test's namespace in Redis. */
    private List<String> keysOfNamespace() {
        Object reply = redis.call("KEYS", instances.namespace() + ":*");
        List<String> keys = new ArrayList<>();
        if (reply instanceof List<?> list) {
            list.forEach(key -> keys.add(key instanceof byte[] bytes ? new String(bytes) : String.valueOf(key)));
        }
        keys.sort(null);
        return keys;
    }

    /**
     * A's manager is closed and opened again (same provider, URI and namespace) while B
     * writes: the reopened manager's near cache and listener follow B's writes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tracking", "published"})
    void aManagerClosedAndOpenedAgainFollowsAnotherInstancesWrites(String mode) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("namespace", instances.namespace());
        properties.setProperty("near-cache", "1000");
        properties.setProperty("near-cache-invalidation", mode);
        RedisCachingProvider provider = new RedisCachingProvider();
        URI uri = URI.create(redis.uri());
        CacheManager first = instances.add(provider.getCacheManager(uri, getClass().getClassLoader(), properties));
        Cache<String, String> before = nearCache(first, new Writes());
        Cache<String, String> b = plain(manager(Map.of()));
        b.put("k", "v0");
        LocalTier.awaitServedLocally(redis, before, "k", "v0");
        first.close();
        CacheManager reopened = instances.add(provider.getCacheManager(uri, getClass().getClassLoader(), properties));
        assertTrue(reopened != first && !reopened.isClosed());
        Writes heard = new Writes();
        Cache<String, String> after = nearCache(reopened, heard);
        LocalTier.awaitServedLocally(redis, after, "k", "v0");
        List<String> stale = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String old = "v" + (i - 1);
            after.get("k");
            b.put("k", "v" + i);
            if (stillServed(() -> after.get("k"), old, 500)) {
                stale.add(old);
            }
        }
        assertEquals("stale: [], updates heard: 10", "stale: " + stale + ", updates heard: "
                + heard.drainUntil("UPDATED k v9->v10").stream().filter(e -> e.startsWith("UPDATED k")).count());
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
        EventRecorder recorder = EventRecorder.register(ExpiryFaultTests.sessions(managerA, 2_000), false);
        Cache<String, String> b = ExpiryFaultTests.sessions(manager(Map.of()), 2_000);
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
            if (stillServed(() -> a.get("k"), before, 500)) {
                stale.add(before);
            }
            Thread.sleep(100);
        }
        assertEquals(List.of(), stale, "values A's near cache still served 500 ms after B replaced them through the provider");
    }
}
