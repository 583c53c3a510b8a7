package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.WriteThroughCounters.Increment;
import io.github.jcacheredis.testsupport.BusyScript;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.RespClient;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis refusing single calls for a while without running them: BUSY (another client's script has
 * run past the busy threshold), LOADING (the server is loading its dataset) and READONLY (the server
 * is a replica for a while, as an old master is during a failover). A write refused so is sent
 * again while the refusal lasts up to the settle time, and then runs exactly once; one refused for
 * longer fails alone with the refusal (not an unknown outcome), never runs later, and Redis is not
 * taken to be unreachable for it.
 */
class TransientRefusalFaultTests {

    /** Longer than any hold below: a held reply must not turn into a response timeout. */
    private static final Map<String, String> SETTINGS = Map.of("timeout", "10000");
    private static final Duration HOLD = Duration.ofSeconds(10);
    /** How often the first increment is refused before the refusal ends: more than a write is resent otherwise. */
    private static final int REFUSALS = 3;

    private static RedisServer redis;
    private static RedisServer otherMaster;
    private static TcpProxy proxy;

    @AutoClose
    final Instances instances = new Instances();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private RedisCacheManager manager;

    @BeforeAll
    static void startRedis() {
        // a script running longer than 50 ms makes the server answer BUSY to everyone else
        redis = RedisServer.start("--lua-time-limit", "50");
        otherMaster = RedisServer.start();
        proxy = TcpProxy.inFrontOf(redis);
    }

    @AfterAll
    static void stopRedis() {
        proxy.close();
        otherMaster.close();
        redis.close();
    }

    @BeforeEach
    void openManager() {
        manager = instances.open(URI.create(proxy.uri()), SETTINGS).unwrap(RedisCacheManager.class);
    }

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /**
     * The refusal begins, the increments are sent and refused, the first one three times (each reply
     * held until the next attempt is armed, the last until the refusal is over, so that it is certain
     * they met it), the refusal ends, and the increment runs once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"BUSY", "LOADING", "READONLY"})
    void anIncrementRefusedForAWhileRunsOnceTheRefusalEnds(Refusal kind) throws Exception {
        Cache<String, Long> counters = counters(kind + "-short");
        counters.invoke("n", new Increment());
        long expected = kind == Refusal.READONLY ? 1 : 2; // a replica's sync drops what the server held
        TcpProxy.Hold refused = null;
        long refusalsBefore = errorCount(kind); // INFO too is refused while a script keeps Redis busy
        try (RefusalInProgress refusal = begin(kind, false)) {
            if (kind == Refusal.READONLY) {
                // the replica's sync dropped the scripts too: the first call to a script would meet
                // NOSCRIPT; one that fails on READONLY has loaded it
                assertRefusedAlone(kind, counters, () -> counters.invoke("other", new Increment()));
                refusalsBefore = errorCount(kind);
            }
            refused = proxy.holdReply(keyOf(counters, "n"));
            Future<Long> increment = callers.submit(() -> counters.invoke("n", new Increment()));
            for (int i = 1; i < REFUSALS; i++) {
                awaitHeld(refused, increment); // refused while the refusal is on: the next attempt is held too
                TcpProxy.Hold next = proxy.holdReply(keyOf(counters, "n"));
                refused.release();
                refused = next;
            }
            awaitHeld(refused, increment);
            refusal.end();
            refused.release();
            assertEquals(expected, increment.get(30, TimeUnit.SECONDS), "the increment's own result");
            // each held attempt was refused, but a replica serves the reads of an increment
            int refusals = kind == Refusal.READONLY ? 1 : REFUSALS;
            assertTrue(errorCount(kind) - refusal.probesRefused() >= refusalsBefore + refusals,
                    "Redis refused the provider's increment with " + kind + ": " + redis.info("errorstats"));
        } finally {
            if (refused != null) {
                refused.release();
            }
        }
        assertEquals(expected, counters.get("n"), "the increment ran exactly once");
        if (kind == Refusal.READONLY) {
            assertNull(counters.get("other"), "the increment that failed on READONLY never ran");
        }
        assertTrue(manager.unreachableSince().isEmpty(), "a refusal does not make Redis unreachable");
    }

    /**
     * Increments from several threads, queued behind a read whose request the network holds, go
     * out as one batch once it is let through, and meet BUSY: the client fails such a batch whole
     * and completes none of the commands it refused. None of them may wait for ever (the batch's
     * node would take no further call), none runs twice, each says its outcome is unknown (the
     * client does not tell which commands of a pipeline it refused), and Redis is not taken to be
     * unreachable for it.
     */
    @Test
    void incrementsBatchedWhileRedisIsBusyEachEndAndRunAtMostOnce() throws Exception {
        Cache<String, Long> counters = counters("BUSY-batched");
        int count = 8;
        for (int i = 0; i < count; i++) {
            counters.invoke("n" + i, new Increment());
        }
        TcpProxy.Hold blocker = proxy.holdRequest(keyOf(counters, "blocker"));
        LaneCallers lane = new LaneCallers();
        lane.start(() -> counters.get("blocker"));
        blocker.awaitHeld(HOLD); // the lane's one call on its way: the increments queue behind it
        LaneCallers increments = new LaneCallers();
        for (int i = 0; i < count; i++) {
            String name = "n" + i;
            increments.start(() -> counters.invoke(name, new Increment()));
        }
        increments.awaitWaitingInLane();
        List<Object> outcomes;
        try (RefusalInProgress refusal = begin(Refusal.BUSY, false)) {
            blocker.release(); // the read meets BUSY, then the batch of increments does
            outcomes = increments.outcomes();
            refusal.end();
        } finally {
            blocker.release();
        }
        lane.outcomes();
        for (int i = 0; i < count; i++) {
            Object outcome = outcomes.get(i);
            assertTrue(outcome instanceof CacheException failure && failure.getMessage().contains("unknown"),
                    "n" + i + ", refused in a batch: " + outcome);
            long after = counters.get("n" + i);
            assertTrue(after == 1L || after == 2L, "n" + i + " was incremented at most once: " + after);
        }
        assertTrue(manager.unreachableSince().isEmpty(), "a refusal does not make Redis unreachable");
        for (int i = 0; i < count; i++) {
            long before = counters.get("n" + i);
            assertEquals(before + 1, counters.invoke("n" + i, new Increment()), "the next increment reaches Redis");
        }
    }

    /**
     * In degrade mode too: a write refused whole in a pipeline is not taken for one skipped while
     * Redis was unreachable (which recovery would undo), since Redis answered and no recovery
     * follows. It fails, rather than report success for a write that did not take effect.
     */
    @Test
    void aPutAllRefusedAsBusyInDegradeModeFailsRatherThanPassForSkipped() {
        RedisCacheManager degrading = instances.open(URI.create(proxy.uri()),
                Map.of("timeout", "10000", "failure-mode", "degrade")).unwrap(RedisCacheManager.class);
        Cache<String, String> cache = degrading.createCache("bulk-busy-degrade", ttlConfig());
        cache.put("a", "before");
        try (RefusalInProgress refusal = begin(Refusal.BUSY, false)) {
            assertThrows(CacheException.class, () -> cache.putAll(Map.of("a", "1", "b", "2")),
                    "a putAll that did not take effect reported success");
            assertTrue(degrading.unreachableSince().isEmpty(), "a refusal does not make Redis unreachable");
        }
        assertEquals("before", cache.get("a"), "the refused putAll did not run");
    }

    /**
     * putAll under a TTL policy is a pipeline of SETs, which the client fails whole on BUSY: it
     * fails alone, and Redis, which answered, is not taken to be unreachable.
     */
    @Test
    void aPutAllRefusedAsBusyFailsAloneAndLeavesRedisReachable() {
        Cache<String, String> cache = manager.createCache("bulk-busy", ttlConfig());
        cache.put("kept", "before");
        try (RefusalInProgress refusal = begin(Refusal.BUSY, false)) {
            CacheException failure = assertThrows(CacheException.class, () -> cache.putAll(Map.of("a", "1", "b", "2")));
            assertTrue(failure.getMessage().contains("BUSY") && failure.getMessage().contains(cache.getName()),
                    failure.getMessage());
            assertTrue(manager.unreachableSince().isEmpty(), "a refusal does not make Redis unreachable");
        }
        assertEquals("before", cache.get("kept"), "the next call reaches Redis");
    }

    /**
     * A refusal that lasts beyond the settle time (a second for one server): the increment fails
     * alone, saying what Redis answered, and it has not run once the refusal is over.
     */
    @ParameterizedTest
    @ValueSource(strings = {"BUSY", "LOADING"})
    void anIncrementRefusedForLongerFailsAloneAndNeverRuns(Refusal kind) throws Exception {
        Cache<String, Long> counters = counters(kind + "-long");
        counters.invoke("n", new Increment());
        try (RefusalInProgress refusal = begin(kind, true)) {
            assertRefusedAlone(kind, counters, () -> counters.invoke("n", new Increment()));
            assertTrue(refusal.isOn(), "the refusal lasted as long as the call tried");
            refusal.end();
        }
        assertEquals(1L, counters.get("n"), "the refused increment never ran");
        assertTrue(manager.unreachableSince().isEmpty(), "a refusal does not make Redis unreachable");
        assertEquals(2L, counters.invoke("n", new Increment()), "the next increment reaches Redis");
    }

    /** Waits for {@code hold}; if nothing is held because the call ended, throws how it ended. */
    private static void awaitHeld(TcpProxy.Hold hold, Future<Long> call) throws Exception {
        try {
            hold.awaitHeld(HOLD);
        } catch (IllegalStateException e) {
            if (call.isDone()) {
                call.get();
            }
            throw e;
        }
    }

    private static void assertRefusedAlone(Refusal kind, Cache<String, Long> counters, Runnable write) {
        CacheException failure = assertThrows(CacheException.class, write::run);
        assertTrue(failure.getMessage().contains(kind.name()) && failure.getMessage().contains(counters.getName()),
                "the failure names the cache and what Redis answered: " + failure.getMessage());
        assertFalse(failure.getMessage().contains("unknown"), "a refused write did not run: " + failure.getMessage());
    }

    /** Strings under a TTL policy: putAll is then a pipeline of SETs. */
    private static MutableConfiguration<String, String> ttlConfig() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 10)));
    }

    private Cache<String, Long> counters(String name) {
        return manager.createCache(name, new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
    }

    private String keyOf(Cache<String, Long> cache, String name) {
        return instances.namespace() + ":" + cache.getName() + ":" + name;
    }

    private static long errorCount(Refusal kind) {
        String stat = redis.info("errorstats").getOrDefault("errorstat_" + kind.name(), "count=0");
        return Long.parseLong(stat.replaceAll("^count=(\\d+).*$", "$1"));
    }

    /** Begins a refusal; a long one lasts well beyond the settle time, a short one ends within it. */
    private RefusalInProgress begin(Refusal kind, boolean longer) {
        return switch (kind) {
            case BUSY -> new Busy();
            case LOADING -> new Loading(callers, longer ? 600 : 30);
            case READONLY -> new Replica();
        };
    }

    enum Refusal { BUSY, LOADING, READONLY }

    /** A refusal the test began; {@link #end()} ends it and waits until the server serves calls again. */
    private abstract static class RefusalInProgress implements AutoCloseable {
        private final AtomicInteger probesRefused = new AtomicInteger();

        /** True while a call on a direct connection is refused (each such probe counts in errorstats). */
        final boolean isOn() {
            try {
                redis.call("GET", "probe");
                return false;
            } catch (RespClient.RedisReplyException refused) {
                probesRefused.incrementAndGet();
                return true;
            }
        }

        final int probesRefused() {
            return probesRefused.get();
        }

        abstract void end();

        @Override
        public void close() {
            end();
        }
    }

    /** A script that loops until SCRIPT KILL, run on a connection of its own. */
    private static final class Busy extends RefusalInProgress {
        private final BusyScript script = BusyScript.begin(redis);

        Busy() {
            until(this::isOn);
        }

        @Override
        void end() {
            script.close();
        }
    }

    /**
     * {@code DEBUG RELOAD} of 5,000 filler keys slowed down by a given delay a key (600 µs: about
     * three seconds; 30 µs: about 0.4 s, most of it the cost of sleeping at all), the server
     * answering LOADING meanwhile.
     */
    private static final class Loading extends RefusalInProgress {
        private final CompletableFuture<Object> reload;

        Loading(ExecutorService executor, int microsPerKey) {
            redis.call("DEBUG", "POPULATE", "5000", "filler", "10");
            redis.call("CONFIG", "SET", "key-load-delay", String.valueOf(microsPerKey));
            redis.call("CONFIG", "SET", "loading-process-events-interval-bytes", "1024");
            reload = CompletableFuture.supplyAsync(() -> {
                try (RespClient client = redis.client()) {
                    return client.call("DEBUG", "RELOAD");
                }
            }, executor);
            until(this::isOn);
        }

        @Override
        void end() {
            reload.join();
            redis.call("CONFIG", "SET", "key-load-delay", "0");
        }
    }

    /** The server made a replica of an empty master (it drops its data), until REPLICAOF NO ONE. */
    private static final class Replica extends RefusalInProgress {
        private boolean ended;

        Replica() {
            redis.call("REPLICAOF", otherMaster.host(), String.valueOf(otherMaster.port()));
            redis.awaitInSync(Duration.ofSeconds(15));
        }

        @Override
        void end() {
            if (!ended) {
                ended = true;
                redis.call("REPLICAOF", "NO", "ONE");
            }
        }
    }
}
