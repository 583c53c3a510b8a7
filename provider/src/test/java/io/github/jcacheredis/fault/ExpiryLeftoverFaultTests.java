package io.github.jcacheredis.fault;

import static io.github.jcacheredis.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.store.ExpiryIndex;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What expiry tracking keeps beside the entries (shadow copies, indexes of due times and, on a
 * cluster, the set that lists the slots with an index) once no instance tracks expiry any more.
 * The indexes and the set had no TTL: nobody swept them after the last EXPIRED listener went, so
 * they stayed in Redis for ever, also after destroyCache, holding a member for every entry that
 * expired meanwhile, a leak as large as the cache for caches made per tenant or per test run.
 * Now each lives no longer than the entries it was kept for, plus the grace the copies get; and an
 * instance that still listens hears every expiry while others clear or destroy the cache.
 */
class ExpiryLeftoverFaultTests {

    private static final long TTL_MILLIS = 2_000;
    private static final int ENTRIES = 20;
    /** How long companions may outlive their entries: the grace, and a margin for a loaded machine. */
    private static final long GONE_WITHIN_MILLIS = ExpiryIndex.SHADOW_GRACE_MILLIS + 5_000;
    /** How far an index's TTL may be from what it should be (the test reads it a moment after). */
    private static final long TTL_TOLERANCE_MILLIS = 2_000;

    private static RedisCluster cluster;
    private static URI clusterConfig;

    @AutoClose
    final Instances instances = new Instances();
    private RedisServer server;
    /** The masters of this test's Redis. */
    private List<RedisServer> nodes;
    private URI uri;

    @AfterEach
    void stop() {
        instances.close();
        if (server != null) {
            server.close();
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(String topology) {
        if (topology.equals("cluster")) {
            if (cluster == null) {
                cluster = RedisCluster.start(3);
                clusterConfig = cluster.redisson().provider("timeout", "1000").write();
            }
            nodes = cluster.masters();
            uri = clusterConfig;
        } else {
            server = RedisServer.start();
            nodes = List.of(server);
            uri = URI.create(server.uri());
        }
    }

    /** A new instance of the application. */
    private CacheManager instance() {
        return instances.open(uri, Map.of());
    }

    private static Cache<String, String> cache(CacheManager manager, String name, Factory<ExpiryPolicy> policy) {
        return manager.createCache(name, new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(policy));
    }

    private static Factory<ExpiryPolicy> created(long millis) {
        return CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, millis));
    }

    /** Every key of this test's namespace, with its remaining TTL in ms (-1: none). */
    private Map<String, Long> keysOfNamespace() {
        Map<String, Long> keys = new TreeMap<>();
        for (RedisServer node : nodes) {
            String cursor = "0";
            do {
                List<?> reply = (List<?>) node.call("SCAN", cursor, "MATCH", instances.namespace() + ":*", "COUNT", 1000);
                cursor = (String) reply.get(0);
                for (Object key : (List<?>) reply.get(1)) {
                    long ttl = (Long) node.call("PTTL", key);
                    if (ttl != -2) {
                        keys.put((String) key, ttl);
                    }
                }
            } while (!cursor.equals("0"));
        }
        return keys;
    }

    /**
     * A listener registers, entries are written with a short TTL, the listener goes before they
     * expire, so nobody reports them. One cache is then destroyed (with an entry of an hour another
     * instance wrote), the other is simply never used again. Nothing of either may stay in Redis
     * for longer than the grace: before, both indexes (and the set of slots) stayed for ever.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"one server", "cluster"})
    void nothingOfACacheNobodyTracksStaysLongerThanTheGrace(String topology) throws InterruptedException {
        start(topology);
        CacheManager listening = instance();
        Cache<String, String> destroyed = cache(listening, "destroyed", created(TTL_MILLIS));
        Cache<String, String> abandoned = cache(listening, "abandoned", created(TTL_MILLIS));
        EventRecorder onDestroyed = EventRecorder.register(destroyed, false);
        EventRecorder onAbandoned = EventRecorder.register(abandoned, false);
        cache(instance(), "destroyed", created(TimeUnit.HOURS.toMillis(1))).put("long", "v");
        for (int i = 0; i < ENTRIES; i++) {
            destroyed.put("d" + i, "v");
            abandoned.put("a" + i, "v");
        }
        destroyed.deregisterCacheEntryListener(onDestroyed.configuration());
        abandoned.deregisterCacheEntryListener(onAbandoned.configuration());
        until("the short-lived entries expired", Duration.ofSeconds(10), () -> IntStream.range(0, ENTRIES)
                .noneMatch(i -> destroyed.containsKey("d" + i) || abandoned.containsKey("a" + i)));
        Map<String, Long> before = keysOfNamespace();
        assertTrue(before.keySet().stream().anyMatch(key -> key.contains(":%due:destroyed:"))
                && before.keySet().stream().anyMatch(key -> key.contains(":%due:abandoned:")),
                "precondition: the indexes hold the expired entries nobody reported: " + before);

        listening.destroyCache("destroyed");

        Map<String, Long> staying = new TreeMap<>(keysOfNamespace());
        staying.values().removeIf(ttl -> ttl >= 0 && ttl <= GONE_WITHIN_MILLIS);
        assertEquals(Map.of(), staying, "keys that would stay longer than " + GONE_WITHIN_MILLIS
                + " ms (remaining TTL in ms, -1: for ever)");
        until("no key of the namespace is left", Duration.ofMillis(GONE_WITHIN_MILLIS),
                () -> keysOfNamespace().isEmpty(), () -> keysOfNamespace().toString());
    }

    /**
     * Another instance destroys the cache, then clears it while a third writes, as an instance
     * listens for EXPIRED: the entries the destroy and the clear removed fire nothing, and each
     * entry written afterwards, or during the clear and not removed by it, fires one event.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"one server", "cluster"})
    void aListenerHearsEveryExpiryWhileAnotherInstanceDestroysAndClearsTheCache(String topology) throws Exception {
        start(topology);
        long ttl = 3_000;
        Cache<String, String> listening = cache(instance(), "sessions", created(ttl));
        EventRecorder recorder = EventRecorder.register(listening, false);
        Cache<String, String> writer = cache(instance(), "sessions", created(ttl));
        CacheManager other = instance();
        for (int i = 0; i < ENTRIES; i++) {
            writer.put("d" + i, "v");
        }
        other.destroyCache("sessions"); // a manager that never opened the cache

        Map<String, Long> afterDestroy = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            writer.put("w" + i, "v");
            afterDestroy.put("w" + i, System.currentTimeMillis() + ttl);
        }
        ExpiryFaultTests.assertReportedInTime(recorder, afterDestroy, "v");

        Cache<String, String> clearing = cache(other, "sessions", created(ttl));
        Map<String, Long> duringClear = new ConcurrentHashMap<>();
        CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 10 * ENTRIES; i++) {
                writer.put("c" + i, "v");
                duringClear.put("c" + i, System.currentTimeMillis() + ttl);
            }
        });
        clearing.clear();
        writes.get(10, TimeUnit.SECONDS);
        Map<String, Long> notCleared = new HashMap<>();
        duringClear.forEach((key, deadline) -> {
            if (writer.containsKey(key)) {
                notCleared.put(key, deadline);
            }
        });
        ExpiryFaultTests.assertReportedInTime(recorder, notCleared, "v");
        assertEquals(List.of(), ExpiryFaultTests.expiredOnly(recorder.drainAfter(3 * ExpiryIndex.SWEEP_MILLIS)),
                "a repeated EXPIRED event, or one of an entry the destroy or the clear removed");
    }

    /**
     * Each index must outlive the latest due time it holds by the grace, whatever moved it: a
     * creation, an access TTL (the touch), an update, a due time an older version left in an
     * index without a TTL. An index that expired earlier would take due times with it, whose
     * entries would then expire unreported.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"one server", "cluster"})
    void everyIndexOutlivesItsLatestDueTimeByTheGrace(String topology) throws InterruptedException {
        start(topology);
        Cache<String, String> listening = cache(instance(), "sessions", created(2_000));
        EventRecorder.register(listening, false); // wipes what an earlier tracking period left
        String legacyIndex = instances.namespace() + ":%due:sessions:{}";
        if (server != null) {
            long inFourHours = serverMillis(server) + TimeUnit.HOURS.toMillis(4);
            server.call("ZADD", legacyIndex, inFourHours, "legacy"); // as a version without index TTLs leaves it
        }
        listening.put("created", "v");
        listening.put("touched", "v");
        listening.put("updated", "v");
        cache(instance(), "sessions", AccessedExpiryPolicy.factoryOf(
                new javax.cache.expiry.Duration(TimeUnit.HOURS, 2))).get("touched");
        cache(instance(), "sessions", ModifiedExpiryPolicy.factoryOf(
                new javax.cache.expiry.Duration(TimeUnit.HOURS, 3))).put("updated", "w");

        Map<String, Long> wrong = new TreeMap<>();
        int indexes = 0;
        for (RedisServer node : nodes) {
            for (Object key : (List<?>) node.call("KEYS", instances.namespace() + ":%due:*")) {
                indexes++;
                List<?> latest = (List<?>) node.call("ZRANGE", key, -1, -1, "WITHSCORES");
                long ttl = (Long) node.call("PTTL", key);
                long wanted = (long) Double.parseDouble((String) latest.get(1)) - serverMillis(node)
                        + ExpiryIndex.SHADOW_GRACE_MILLIS;
                if (Math.abs(ttl - wanted) > TTL_TOLERANCE_MILLIS) {
                    wrong.put(key + " (latest " + latest.get(0) + ", wanted " + wanted + " ms)", ttl);
                }
            }
        }
        assertTrue(indexes > 0, "precondition: the writes kept due times");
        assertEquals(Map.of(), wrong, "indexes whose TTL (ms) is not their latest due time plus the grace");
        if (server != null) {
            assertEquals("legacy", ((List<?>) server.call("ZRANGE", legacyIndex, -1, -1)).get(0));
        }
    }

    private static long serverMillis(RedisServer node) {
        List<?> time = (List<?>) node.call("TIME");
        return Long.parseLong((String) time.get(0)) * 1000 + Long.parseLong((String) time.get(1)) / 1000;
    }
}
