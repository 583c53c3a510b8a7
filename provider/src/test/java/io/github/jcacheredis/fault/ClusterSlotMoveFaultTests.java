package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.Resharding;
import io.github.jcacheredis.testsupport.RespClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Slots moving between the masters of a three-master cluster: EXPIRED events of entries whose slot
 * is half-migrated, near caches of another instance's writes while slots move, and clear() and
 * removeAll(), whose scans must follow the slots they move.
 */
class ClusterSlotMoveFaultTests {

    private static final long TTL_MILLIS = 1_000;
    private static final int ENTRIES_IN_SLOT = 5;
    private static final int NEAR_CACHED_KEYS = 300;
    private static final int SWEPT_ENTRIES = 3_000;
    private static final int SLOTS_MOVED_BEHIND = 300;
    private static final int SLOTS_RESHARDED = 1_000;

    private static RedisCluster cluster;
    private static URI config;

    @AutoClose
    final Instances instances = new Instances();
    private final CountingWriter sweptWriter = new CountingWriter();
    private final CountingRemovals sweptRemovals = new CountingRemovals();

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

    /**
     * removeAll() reads the masters one after another. Slots moved, once the first master has
     * been read, from a master not yet read to that first one carry their entries past the scan;
     * they must be removed all the same, each handed to the CacheWriter and reported REMOVED once.
     */
    @Test
    void removeAllRemovesTheEntriesOfSlotsMovedBehindItsScanOnceEach() {
        Cache<String, String> cache = sweptCache("behind");
        String prefix = instances.namespace() + ":behind:";
        Map<String, String> values = entries("k", SWEPT_ENTRIES);
        fill(cache, values);
        List<RedisServer> masters = cluster.masters();
        Map<Integer, RedisServer> owners = new HashMap<>();
        masters.forEach(master -> cluster.slotsOf(master).forEach(slot -> owners.put(slot, master)));
        List<Integer> moved = new ArrayList<>();
        sweptWriter.onDeleteAll = keys -> {
            List<RedisServer> read = keys.stream().map(key -> owners.get(RedisCluster.slotOf(prefix + key))).distinct()
                    .toList();
            if (sweptWriter.firstRead == null) {
                sweptWriter.firstRead = read.get(0);
            }
            RedisServer first = sweptWriter.firstRead;
            if (moved.isEmpty() && read.stream().anyMatch(master -> master != first)) {
                // the first master has been read, another is being read: move the third one's slots behind the scan
                RedisServer third = masters.stream().filter(m -> m != first && !read.contains(m)).findFirst().orElseThrow();
                moved.addAll(cluster.reshard(third, first, SLOTS_MOVED_BEHIND, Resharding.CLUSTER_COMMANDS));
            }
        };

        cache.removeAll();

        assertEquals(SLOTS_MOVED_BEHIND, moved.size(), "no slot was moved while removeAll() ran");
        long carried = values.keySet().stream().filter(key -> moved.contains(RedisCluster.slotOf(prefix + key))).count();
        assertTrue(carried > 0, "the slots moved held no entry of the cache");
        assertEquals(List.of(), keysUnder(prefix), "entries left after removeAll(), " + carried + " of "
                + values.size() + " moved behind its scan");
        assertEquals(Map.of(), notOnce(values.keySet(), sweptWriter.deleted), "CacheWriter deletions (key -> count)");
        assertEquals(Map.of(), notOnce(values.keySet(), sweptRemovals.removed), "REMOVED events (key -> count)");
    }

    /**
     * clear() and removeAll() called again and again while {@code redis-cli --cluster reshard}
     * moves slots one way and then back: none may leave an entry that existed when it began, and
     * removeAll() hands each entry to the CacheWriter and reports it REMOVED once.
     */
    @Test
    void clearAndRemoveAllLeaveNoEntryWhileSlotsMove() throws Exception {
        Cache<String, String> cache = sweptCache("moving");
        String prefix = instances.namespace() + ":moving:";
        RedisServer one = cluster.masters().get(0);
        RedisServer other = cluster.masters().get(1);
        Map<String, Integer> leftByRound = new LinkedHashMap<>();
        Set<String> removedByRemoveAll = new HashSet<>();
        int round = 0;
        for (RedisServer[] move : List.of(new RedisServer[] {one, other}, new RedisServer[] {other, one})) {
            CompletableFuture<List<Integer>> reshard = CompletableFuture.supplyAsync(
                    () -> cluster.reshard(move[0], move[1], SLOTS_RESHARDED));
            boolean last = false;
            while (!last) {
                last = reshard.isDone();
                round++;
                Map<String, String> values = entries("r" + round + "-", SWEPT_ENTRIES);
                fill(cache, values);
                String call;
                if (round % 2 == 0) {
                    cache.clear();
                    call = "clear()";
                } else {
                    cache.removeAll();
                    call = "removeAll()";
                    removedByRemoveAll.addAll(values.keySet());
                }
                // read by key, so the check itself cannot miss an entry whose slot moves
                int left = cache.getAll(values.keySet()).size();
                if (left > 0) {
                    leftByRound.put(call + " of round " + round, left);
                }
            }
            reshard.get(2, TimeUnit.MINUTES);
        }
        assertTrue(round > 2, "too few rounds ran while slots moved: " + round);
        assertEquals(Map.of(), leftByRound, "entries left (call -> entries of " + SWEPT_ENTRIES + "), of " + round
                + " rounds");
        assertEquals(List.of(), keysUnder(prefix), "entries left once the slots had moved");
        assertEquals(Map.of(), notOnce(removedByRemoveAll, sweptWriter.deleted), "CacheWriter deletions (key -> count)");
        assertEquals(Map.of(), notOnce(removedByRemoveAll, sweptRemovals.removed), "REMOVED events (key -> count)");
    }

    /** On a cluster whose slots stay where they are, a clear reads no slot by itself: one scan of each master. */
    @Test
    void aClearOnAQuietClusterScansOnceAndReadsNoSlotAgain() {
        Cache<String, String> cache = sweptCache("quiet");
        fill(cache, entries("k", SWEPT_ENTRIES));
        long slotReads = cluster.masters().stream().mapToLong(m -> m.commandCalls("cluster|getkeysinslot")).sum();

        cache.clear();

        assertEquals(List.of(), keysUnder(instances.namespace() + ":quiet:"));
        assertEquals(slotReads, cluster.masters().stream().mapToLong(m -> m.commandCalls("cluster|getkeysinslot")).sum(),
                "slots read one by one after the scan of a quiet cluster");
    }

    /**
     * A cache with a CacheWriter and a synchronous REMOVED listener that count, per key, what they
     * were told. Its write script is loaded on every master first: a pipeline that meets a master
     * without it reports an unknown outcome, which is not what these tests are about.
     */
    private Cache<String, String> sweptCache(String name) {
        MutableConfiguration<String, String> configuration = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setWriteThrough(true)
                .setCacheWriterFactory(() -> sweptWriter)
                .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<String, String>(
                        () -> sweptRemovals, null, false, true));
        Cache<String, String> cache = instances.open(config, Map.of("timeout", "5000")).createCache(name, configuration);
        String prefix = instances.namespace() + ":" + name + ":";
        for (RedisServer master : cluster.masters()) {
            List<Integer> slots = cluster.slotsOf(master);
            String key = "warm-0";
            for (int i = 1; !slots.contains(RedisCluster.slotOf(prefix + key)); i++) {
                key = "warm-" + i;
            }
            cache.put(key, "v");
            cache.remove(key);
        }
        sweptWriter.deleted.clear();
        sweptRemovals.removed.clear();
        return cache;
    }

    /** Puts {@code values} a few hundred at a time, so that no pipeline waits long on a loaded machine. */
    private static void fill(Cache<String, String> cache, Map<String, String> values) {
        Map<String, String> chunk = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            chunk.put(entry.getKey(), entry.getValue());
            if (chunk.size() == 500) {
                cache.putAll(chunk);
                chunk.clear();
            }
        }
        cache.putAll(chunk);
    }

    private static Map<String, String> entries(String keyPrefix, int count) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            values.put(keyPrefix + i, "v");
        }
        return values;
    }

    /** The keys of {@code expected} not counted exactly once, and the keys counted but not expected, with their counts. */
    private static Map<String, Integer> notOnce(Set<String> expected, Map<String, Integer> counts) {
        Map<String, Integer> wrong = new TreeMap<>();
        expected.forEach(key -> {
            int count = counts.getOrDefault(key, 0);
            if (count != 1) {
                wrong.put(key, count);
            }
        });
        counts.forEach((key, count) -> {
            if (!expected.contains(key)) {
                wrong.put(key, count);
            }
        });
        return wrong;
    }

    /** Every key under {@code prefix} on every master, by SCAN. */
    private static List<String> keysUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        for (RedisServer master : cluster.masters()) {
            String cursor = "0";
            do {
                List<?> reply = (List<?>) master.call("SCAN", cursor, "MATCH", prefix + "*", "COUNT", 1000);
                cursor = reply.get(0).toString();
                ((List<?>) reply.get(1)).forEach(key -> keys.add(key.toString()));
            } while (!"0".equals(cursor));
        }
        keys.sort(null);
        return keys;
    }

    /** Counts each key deleted; runs {@code onDeleteAll} first. */
    private static final class CountingWriter implements CacheWriter<String, String> {

        final Map<String, Integer> deleted = new ConcurrentHashMap<>();
        volatile Consumer<Collection<?>> onDeleteAll = keys -> { };
        volatile RedisServer firstRead;

        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            entries.clear();
        }

        @Override
        public void delete(Object key) {
            deleted.merge(key.toString(), 1, Integer::sum);
        }

        @Override
        public void deleteAll(Collection<?> keys) {
            onDeleteAll.accept(keys);
            keys.forEach(this::delete);
            keys.clear();
        }
    }

    /** Counts each key reported REMOVED. */
    private static final class CountingRemovals implements CacheEntryRemovedListener<String, String> {

        final Map<String, Integer> removed = new ConcurrentHashMap<>();

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            events.forEach(event -> removed.merge(event.getKey(), 1, Integer::sum));
        }
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
