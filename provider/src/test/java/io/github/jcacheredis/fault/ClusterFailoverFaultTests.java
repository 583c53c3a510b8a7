package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.store.BatchSizes;
import io.github.jcacheredis.store.ExpiryIndex;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.Failover;
import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances keep writing and reading while a three-master cluster, each master with one
 * replica, moves slots and fails a master over. Slot migration is routine and must be invisible:
 * no call fails (clients follow ASK and MOVED). A coordinated failover ({@code CLUSTER FAILOVER})
 * may fail only the calls in flight while it happens, from the request until the replica is master
 * and the old master its replica; a call that starts after that must succeed, following MOVED to
 * the new master. In both, no read returns anything but the last acknowledged write, and
 * every acknowledged write is readable afterwards from both instances. Entries that expire across a
 * failover are each reported once, within two seconds of their TTL or of the new master taking
 * over, whichever is later. The managers use the
 * provider's own timeout and retry policy ({@code timeout: 1000}), not Redisson's defaults.
 */
class ClusterFailoverFaultTests {

    private static final int WRITES_BEFORE = 300;
    private static final int WRITES_AFTER = 300;
    private static final int SLOTS_TO_MOVE = 500;
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_LISTED = 20;
    /** Short enough for entries put just before a failover to expire while it runs (one ended before a 1 s TTL had). */
    private static final long EXPIRY_TTL_MILLIS = 500;

    private static RedisCluster cluster;
    private static URI config;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 1);
        config = cluster.redisson().provider("timeout", "1000").write();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void noCallFailsAndNoWriteIsLostWhileSlotsMoveUnderLoad() throws Exception {
        long origin = System.nanoTime();
        Map<String, Cache<String, String>> instances = twoInstances();
        try (WriteReadLoad load = WriteReadLoad.start(instances, 4)) {
            load.awaitMoreAcknowledged(WRITES_BEFORE, LOAD_TIMEOUT);
            List<RedisServer> masters = cluster.masters();
            List<Integer> moved = cluster.reshard(masters.get(0), masters.get(1), SLOTS_TO_MOVE);
            load.awaitMoreAcknowledged(WRITES_AFTER, LOAD_TIMEOUT);
            load.stop();

            assertTrue(writtenInto(load, moved) > 0, "no acknowledged write lives in a moved slot");
            assertAll(
                    () -> assertEquals(List.of(), WriteReadLoad.summarize(load.failed(), origin), load.failed().size()
                            + " calls failed while slots moved"),
                    () -> assertEquals(List.of(), describe(load.wrongReads(), origin), "reads that did not return the last write"),
                    () -> assertEveryAcknowledgedWriteReadable(load),
                    () -> assertCallsSharedRoundTrips(instances));
        }
    }

    /** The load ran through batches of several commands (so redirections met batches, not only lone calls). */
    private static void assertCallsSharedRoundTrips(Map<String, Cache<String, String>> instances) {
        for (Cache<String, String> cache : instances.values()) {
            BatchSizes.Snapshot sizes = cache.getCacheManager().unwrap(RedisCacheManager.class).batchSizes();
            assertTrue(sizes.commands() > sizes.batches(), "no batch of several commands: " + sizes.describe());
        }
    }

    @Test
    void onlyCallsInFlightAtAFailoverFailAndNoAcknowledgedWriteIsLost() throws Exception {
        long origin = System.nanoTime();
        try (WriteReadLoad load = WriteReadLoad.start(twoInstances(), 2)) {
            load.awaitMoreAcknowledged(WRITES_BEFORE, LOAD_TIMEOUT);
            Failover failover = cluster.failover(cluster.masters().get(0));
            load.awaitMoreAcknowledged(WRITES_AFTER, LOAD_TIMEOUT);
            load.stop();

            List<WriteReadLoad.Call> notInFlight = load.failed().stream()
                    .filter(call -> !call.overlaps(failover.requestedNanos(), failover.rolesSwappedNanos())).toList();
            String window = (failover.requestedNanos() - origin) / 1_000_000 + ".."
                    + (failover.rolesSwappedNanos() - origin) / 1_000_000 + " ms";
            assertAll(
                    () -> assertEquals(List.of(), WriteReadLoad.summarize(notInFlight, origin), notInFlight.size() + " of "
                            + load.failed().size() + " failed calls were not in flight during the failover, " + window
                            + "; all failures: " + WriteReadLoad.summarize(load.failed(), origin)),
                    () -> assertEquals(List.of(), describe(load.wrongReads(), origin), "reads that did not return the last write"),
                    () -> assertEveryAcknowledgedWriteReadable(load));
        }
    }

    @Test
    void expiriesAreReportedAcrossAFailover() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("namespace", instances.namespace());
        Cache<String, String> sessions = instances.add(new RedisCachingProvider().getCacheManager(config,
                        ClusterFailoverFaultTests.class.getClassLoader(), properties))
                .createCache("sessions", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(
                                TimeUnit.MILLISECONDS, EXPIRY_TTL_MILLIS))));
        EventRecorder recorder = EventRecorder.register(sessions, false);
        RedisServer master = cluster.masters().get(0);
        Map<String, Long> before = putOnto(sessions, master, "before-");
        Failover failover = cluster.failover(master);
        long back = System.currentTimeMillis();
        assertTrue(before.values().stream().anyMatch(deadline -> deadline < back),
                "no entry put before the failover expired while it ran: the case under test did not happen");
        Map<String, Long> after = putOnto(sessions, failover.newMaster(), "after-");

        Map<String, Long> deadlines = new HashMap<>(before);
        deadlines.putAll(after);
        // the entries put before the failover expired while it ran: due once the new master answers
        deadlines.replaceAll((key, deadline) -> Math.max(deadline, back));
        Map<String, Long> late = new TreeMap<>(recorder.expiries(deadlines, "v", 20));
        late.values().removeIf(millis -> millis <= ExpiryFaultTests.WITHIN_MILLIS);
        assertEquals(Map.of(), late, "EXPIRED events later than " + ExpiryFaultTests.WITHIN_MILLIS
                + " ms after the TTL or the failover, in ms");
        // a copy reported again by the old master's index or the new one's would come within sweeps
        assertEquals(List.of(), recorder.drainAfter(4 * ExpiryIndex.SWEEP_MILLIS), "events after every entry was reported once");
    }

    /** Puts ten entries whose keys live on {@code master}; returns the time each will expire by. */
    private Map<String, Long> putOnto(Cache<String, String> sessions, RedisServer master, String prefix) {
        Set<Integer> slots = new HashSet<>(cluster.slotsOf(master));
        Map<String, Long> deadlines = new HashMap<>();
        for (int i = 0; deadlines.size() < 10; i++) {
            String key = prefix + i;
            if (slots.contains(RedisCluster.slotOf(instances.namespace() + ":sessions:" + key))) {
                sessions.put(key, "v");
                deadlines.put(key, System.currentTimeMillis() + EXPIRY_TTL_MILLIS);
            }
        }
        return deadlines;
    }

    private Map<String, Cache<String, String>> twoInstances() {
        Map<String, Cache<String, String>> caches = new LinkedHashMap<>();
        for (String name : List.of("a", "b")) {
            Properties properties = new Properties();
            properties.setProperty("namespace", instances.namespace());
            caches.put(name, instances.add(new RedisCachingProvider().getCacheManager(config,
                    ClusterFailoverFaultTests.class.getClassLoader(), properties))
                    .createCache("values", new MutableConfiguration<String, String>().setTypes(String.class, String.class)));
        }
        return caches;
    }

    private static void assertEveryAcknowledgedWriteReadable(WriteReadLoad load) {
        for (String instance : List.of("a", "b")) {
            List<String> unreadable = load.unreadable(instance);
            assertEquals(List.of(), unreadable.subList(0, Math.min(MAX_LISTED, unreadable.size())), unreadable.size() + " of "
                    + load.acknowledgedKeys().size() + " acknowledged writes unreadable on instance " + instance);
        }
    }

    private long writtenInto(WriteReadLoad load, List<Integer> slots) {
        Set<Integer> moved = new HashSet<>(slots);
        return load.acknowledgedKeys().stream()
                .filter(key -> moved.contains(RedisCluster.slotOf(instances.namespace() + ":values:" + key))).count();
    }

    private static List<String> describe(List<WriteReadLoad.Call> calls, long origin) {
        return calls.stream().sorted(Comparator.comparingLong(WriteReadLoad.Call::startNanos)).limit(MAX_LISTED)
                .map(call -> call.describe(origin)).toList();
    }
}
