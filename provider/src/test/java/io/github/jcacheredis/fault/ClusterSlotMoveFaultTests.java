package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.RespClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Slots moving between the masters of a three-master cluster: EXPIRED events of entries whose slot
 * is half-migrated, and near caches of another instance's writes while slots move.
 */
class ClusterSlotMoveFaultTests {

    private static final long TTL_MILLIS = 1_000;
    private static final int ENTRIES_IN_SLOT = 5;
    private static final int NEAR_CACHED_KEYS = 300;

    private static RedisCluster cluster;
    private static URI config;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3);
        config = cluster.redisson().provider("timeout", "1000").write();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    /**
     * A slot's keys move in batches (MIGRATE of a few keys at a time), so while a large slot moves,
     * its index of due times can be on the target while the shadow copies of its entries are still
     * on the source. Entries that expire meanwhile must each be reported once, at the latest once
     * the slot has moved; none may be dropped from the index without being reported.
     */
    @Test
    void expiriesInASlotWhoseDueTimesMovedBeforeItsCopiesAreEachReportedOnce() throws Exception {
        Cache<String, String> sessions = cache("sessions", TTL_MILLIS);
        EventRecorder recorder = EventRecorder.register(sessions, false);
        String prefix = instances.namespace() + ":sessions:";
        int slot = RedisCluster.slotOf(prefix + "s-0");
        RedisServer from = cluster.masterForSlot(slot);
        RedisServer to = cluster.masters().stream().filter(m -> !m.equals(from)).findFirst().orElseThrow();
        // the cache has entries on the target too, which it has swept before (so it knows the sweep)
        int targetSlot = cluster.slotsOf(to).get(0);
        String onTarget = keysInSlot(prefix, "t-", targetSlot, 1).get(0);
        sessions.put(onTarget, "v");
        assertEquals("EXPIRED " + onTarget + " v->v", recorder.next("EXPIRED", 10));
        List<String> keys = keysInSlot(prefix, "s-", slot, ENTRIES_IN_SLOT);
        Map<String, Long> deadlines = new HashMap<>();
        for (String key : keys) {
            sessions.put(key, "v");
            deadlines.put(key, System.currentTimeMillis() + TTL_MILLIS);
        }

        String fromId = cluster.nodeId(from);
        String toId = cluster.nodeId(to);
        to.call("CLUSTER", "SETSLOT", slot, "IMPORTING", fromId);
        from.call("CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
        List<String> inSlot = keysOfSlot(from, slot);
        String dueKey = inSlot.stream().filter(k -> k.contains(":%due:")).findFirst().orElseThrow(
                () -> new AssertionError("no index of due times in slot " + slot + ": " + inSlot));
        // the index moves first, as a batch of the slot's keys may
        from.call("MIGRATE", to.host(), to.port(), "", 0, 5000, "KEYS", dueKey);
        long half = System.currentTimeMillis();
        // the slot stays half-moved past every TTL and several sweeps, as a large slot does
        long latest = deadlines.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<String> early = new ArrayList<>();
        long until = latest + 4 * 500;
        while (System.currentTimeMillis() < until) {
            String event = pollQuietly(recorder, until - System.currentTimeMillis());
            if (event != null) {
                early.add(event);
            }
        }
        Object index;
        try (RespClient target = to.client()) {
            target.call("ASKING");
            index = target.call("ZRANGE", dueKey, 0, -1, "WITHSCORES");
        }
        // the rest of the slot moves
        List<String> rest;
        while (!(rest = keysOfSlot(from, slot)).isEmpty()) {
            List<Object> migrate = new ArrayList<>(List.of("MIGRATE", to.host(), to.port(), "", 0, 5000, "KEYS"));
            migrate.addAll(rest);
            from.call(migrate.toArray());
        }
        for (RedisServer master : cluster.masters()) {
            master.call("CLUSTER", "SETSLOT", slot, "NODE", toId);
        }
        long moved = System.currentTimeMillis();
        deadlines.replaceAll((key, deadline) -> Math.max(deadline, moved));

        List<String> reported = new ArrayList<>(early);
        long end = System.currentTimeMillis() + 6_000;
        while (reported.stream().filter(e -> e.startsWith("EXPIRED ")).count() < keys.size()
                && System.currentTimeMillis() < end) {
            String event = pollQuietly(recorder, end - System.currentTimeMillis());
            if (event != null) {
                reported.add(event);
            }
        }
        reported.addAll(recorder.drainAfter(4 * 500));
        Map<String, Integer> counts = new TreeMap<>();
        keys.forEach(key -> counts.put(key, 0));
        reported.stream().filter(e -> e.startsWith("EXPIRED ")).forEach(e -> counts.merge(e.split(" ")[1], 1, Integer::sum));
        Map<String, Integer> wrong = new TreeMap<>(counts);
        wrong.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), wrong, "entries not reported exactly once (key -> EXPIRED events); index on the target"
                + " while the slot was half-moved (" + (until - half) + " ms): " + index + "; events: " + reported);
    }

    /** Every value another instance writes while slots move replaces the near-cached one within 3 s. */
    @ParameterizedTest
    @ValueSource(strings = {"tracking", "published"})
    void nearCacheServesEveryWriteOfAnotherInstanceWhileSlotsMove(String invalidation) throws Exception {
        Map<String, String> settings = Map.of("near-cache", "1000", "near-cache-invalidation", invalidation);
        Cache<String, String> writer = instances.open(config, settings).createCache("items",
                new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        Cache<String, String> reader = instances.open(config, settings).createCache("items",
                new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < NEAR_CACHED_KEYS; i++) {
            values.put("k" + i, "v0");
        }
        writer.putAll(values);
        values.keySet().forEach(reader::get);
        RedisServer from = cluster.masters().get(0);
        RedisServer to = cluster.masters().get(1);
        CompletableFuture<List<Integer>> reshard = CompletableFuture.supplyAsync(
                () -> cluster.reshard(from, to, Math.min(2000, cluster.slotsOf(from).size() - 1)));
        Map<Integer, Map<String, String>> stale = new LinkedHashMap<>();
        int round = 0;
        boolean last = false;
        while (!last) {
            last = reshard.isDone();
            round++;
            for (String key : values.keySet()) {
                values.put(key, "v" + round);
                writer.put(key, "v" + round);
                reader.get(key); // the reader reads while slots move, filling its near cache
            }
            long deadline = System.currentTimeMillis() + 3_000;
            Map<String, String> wrong = new HashMap<>();
            do {
                wrong.clear();
                for (Map.Entry<String, String> e : values.entrySet()) {
                    String read = reader.get(e.getKey());
                    if (!e.getValue().equals(read)) {
                        wrong.put(e.getKey(), read + " instead of " + e.getValue());
                    }
                }
            } while (!wrong.isEmpty() && System.currentTimeMillis() < deadline);
            if (!wrong.isEmpty()) {
                stale.put(round, wrong);
            }
        }
        reshard.get(2, TimeUnit.MINUTES);
        assertTrue(round > 1, "no round ran while slots moved");
        assertEquals(Map.of(), stale, "near-cached reads 3 s after another instance's write (round -> key -> value), of "
                + round + " rounds");
    }

    private Cache<String, String> cache(String name, long ttlMillis) {
        Properties properties = new Properties();
        properties.setProperty("namespace", instances.namespace());
        MutableConfiguration<String, String> configuration = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class);
        if (ttlMillis > 0) {
            configuration.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
                    new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttlMillis)));
        }
        return instances.add(new RedisCachingProvider().getCacheManager(config,
                ClusterSlotMoveFaultTests.class.getClassLoader(), properties)).createCache(name, configuration);
    }

    private static List<String> keysInSlot(String prefix, String keyPrefix, int slot, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            if (RedisCluster.slotOf(prefix + keyPrefix + i) == slot) {
                keys.add(keyPrefix + i);
            }
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static List<String> keysOfSlot(RedisServer node, int slot) {
        return (List<String>) node.call("CLUSTER", "GETKEYSINSLOT", slot, 1000);
    }

    private static String pollQuietly(EventRecorder recorder, long millis) throws InterruptedException {
        try {
            return recorder.next(Math.max(1, TimeUnit.MILLISECONDS.toSeconds(millis)));
        } catch (AssertionError none) {
            return null;
        }
    }
}
