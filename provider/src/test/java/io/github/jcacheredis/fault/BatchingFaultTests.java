package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.fault.StalledWriteFaultTests.Decrement;
import io.github.jcacheredis.fault.StalledWriteFaultTests.Increment;
import io.github.jcacheredis.store.BatchSizes;
import io.github.jcacheredis.store.NaturalBatches;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.SlowLog;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Natural batching under real faults, on a server of this class's own: the room of a node's lane
 * while the server stalls (CLIENT PAUSE), and a batch whose connection is lost after Redis ran it
 * but before its reply came back (a proxy holds the reply, then cuts the connection). What Redis
 * received and ran is read from its slow log, which keeps every command with its arguments, and
 * the commands that scripts run too.
 */
class BatchingFaultTests {

    private static final int BATCH_MAX = 2;
    /** The calls a lane holds, waiting or on their way: 8 × batch-max. */
    private static final int ROOM = 8 * BATCH_MAX;
    private static final int PUTS = 40;
    private static final int READS = 10;

    private static RedisServer redis;
    private static TcpProxy proxy;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start();
        SlowLog.keepEveryCommand(redis);
        // known before the first batch script, which therefore runs where it reaches Redis (no NOSCRIPT round)
        try (InputStream many = NaturalBatches.class.getResourceAsStream("many.lua")) {
            redis.call("SCRIPT", "LOAD", new String(many.readAllBytes(), StandardCharsets.UTF_8));
        }
        proxy = TcpProxy.inFrontOf(redis);
    }

    @AfterAll
    static void stopRedis() {
        proxy.close();
        redis.close();
    }

    /**
     * A lane holds at most 8 × batch-max calls; a put beyond them waits for room for the call
     * timeout, twice (a call that provably was not sent is tried once more), then fails saying it
     * was not sent, and it never reaches Redis, not even once the stall is over.
     *
     * <p>While the server stalls, a read goes first and alone: it holds its room until its second
     * attempt has timed out too (the client resends reads), about as long as a put waits for room
     * twice. Then 40 puts come at once: 15 find room and queue behind the read, at most one more
     * takes the room the read frees as the last waits end, and every other put fails unsent. The
     * read's failure shows Redis unreachable, so the puts that queued behind it fail unsent too.
     */
    @Test
    void aPutBeyondTheRoomOfItsLaneFailsUnsentAndNeverReachesRedis() throws Exception {
        Stalled stalled = aReadCaughtInAStall("room", 400, Duration.ofMillis(1600));
        String prefix = stalled.prefix();
        LaneCallers blocker = stalled.blocker();
        LaneCallers puts = stalled.puts("k", PUTS);
        List<Object> outcomes = puts.outcomes();
        blocker.outcomes();

        List<String> notSent = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> unsentOnceDown = new ArrayList<>();
        for (int i = 0; i < PUTS; i++) {
            String key = prefix + "k" + i;
            Object outcome = outcomes.get(i);
            if ("put".equals(outcome)) {
                done.add(key);
            } else if (outcome instanceof CacheException failure && failure.getMessage().contains(
                    ROOM + " calls for this Redis node are waiting or on their way already; the call for " + key
                            + " was not sent")) {
                notSent.add(key);
            } else if (outcome instanceof CacheException failure && failure.getMessage().contains(
                    "not sent: Redis was found unreachable")) {
                unsentOnceDown.add(key);
            } else {
                assertTrue(outcome instanceof CacheException failure && failure.getMessage().contains("is unknown"),
                        key + ": " + outcome);
                unknown.add(key);
            }
        }
        assertAll(
                () -> assertTrue(notSent.size() >= PUTS - ROOM && notSent.size() <= PUTS - (ROOM - 1),
                        "puts beyond the room of " + ROOM + " that failed unsent: " + notSent.size()),
                () -> assertEquals(List.of(), notSent.stream().filter(key -> timesReceived(key) > 0 || exists(key)).toList(),
                        "puts that failed unsent but reached Redis"),
                () -> assertEquals(List.of(), unsentOnceDown.stream().filter(key -> timesReceived(key) > 0 || exists(key))
                        .toList(), "puts that failed unsent once Redis was found unreachable but reached Redis"),
                () -> assertEquals(List.of(), done.stream().filter(key -> setsRun(key) != 1 || !exists(key)).toList(),
                        "puts reported done but not applied once"),
                () -> assertEquals(List.of(), unknown.stream().filter(key -> setsRun(key) > 1).toList(),
                        "puts of unknown outcome applied more than once"));
    }

    /**
     * Calls queued in a lane behind a batch that finds Redis unreachable are not sent once that is
     * known: each would wait for a timeout of its own, one batch after another. They fail at once
     * saying so, and none reaches Redis, not even once the stall is over.
     */
    @Test
    void callsQueuedBehindABatchThatFindsRedisUnreachableAreNeverSent() throws Exception {
        Stalled stalled = aReadCaughtInAStall("queued", 300, Duration.ofMillis(2500));
        String prefix = stalled.prefix();
        LaneCallers blocker = stalled.blocker();
        int queued = 3 * BATCH_MAX;
        LaneCallers puts = stalled.puts("q", queued);
        puts.awaitWaitingInLane();
        List<Object> outcomes = puts.outcomes();
        assertTrue(blocker.outcomes().get(0) instanceof CacheException, "the read that met the stall fails");
        redis.call("PING"); // answered once the pause is over, when the commands it held have run
        Await.until("the manager finds Redis back", Duration.ofSeconds(5),
                () -> stalled.manager().unreachableSince().isEmpty());

        for (int i = 0; i < queued; i++) {
            String key = prefix + "q" + i;
            Object outcome = outcomes.get(i);
            assertAll(key,
                    () -> assertTrue(outcome instanceof CacheException failure
                                    && failure.getMessage().contains("Redis was found unreachable"),
                            "a put queued behind the stalled read: " + outcome),
                    () -> assertEquals(0, timesReceived(key), "the put reached Redis"));
        }
    }

    /**
     * A cache of a manager of batch-max 2 whose lane holds a read that a stall of {@code pause}
     * (CLIENT PAUSE) caught on its way; the calls made from here on queue behind it.
     */
    private Stalled aReadCaughtInAStall(String name, long timeoutMillis, Duration pause) {
        RedisCacheManager manager = instances.open(URI.create(redis.uri()),
                Map.of("batch-max", String.valueOf(BATCH_MAX), "timeout", String.valueOf(timeoutMillis)))
                .unwrap(RedisCacheManager.class);
        String cacheName = name + "-" + System.nanoTime();
        Cache<String, String> cache = manager.createCache(cacheName, config(String.class));
        cache.put("warm", "up");
        redis.call("SLOWLOG", "RESET");

        redis.pauseClients(pause, RedisServer.PauseMode.ALL);
        LaneCallers blocker = new LaneCallers();
        blocker.start(() -> cache.get("blocker"));
        blocker.awaitWaitingInLane();
        return new Stalled(manager, cache, instances.namespace() + ":" + cacheName + ":", blocker);
    }

    /** A cache whose lane holds a read caught in a stall, its keys' prefix, and that read's caller. */
    private record Stalled(RedisCacheManager manager, Cache<String, String> cache, String prefix, LaneCallers blocker) {

        /** Starts {@code count} puts, of keys {@code key0, key1, ...}, each on its own thread; each answers "put". */
        LaneCallers puts(String key, int count) {
            LaneCallers puts = new LaneCallers();
            for (int i = 0; i < count; i++) {
                String name = key + i;
                puts.start(() -> {
                    cache.put(name, "v");
                    return "put";
                });
            }
            return puts;
        }
    }

    /** What goes in the batch whose connection is lost, besides ten reads. */
    enum Shape {
        /** Nothing else: one MGET. */
        READS_ONLY,
        /** Four puts: one call of the batch script. */
        WITH_PUTS,
        /** Four entry processors: a pipeline. */
        WITH_INCREMENTS,
        /** Four containsKey calls, reads that join no script: a pipeline of reads only, sent once. */
        WITH_CONTAINS
    }

    /**
     * A batch whose connection is lost after Redis ran it and before its reply came: every write in
     * it says its outcome is unknown, ran once (with the batch) and is never sent again; no read
     * answers a wrong value. A batch of reads only (an MGET) is resent by the client, so its reads
     * answer their values; for the reads of a batch with writes see the next test.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Shape.class, names = {"READS_ONLY", "WITH_PUTS", "WITH_INCREMENTS"})
    void aBatchWhoseConnectionIsLostRunsItsWritesOnceAndAnswersNoReadWrongly(Shape shape) throws Exception {
        BatchOutcomes lost = loseTheConnectionOfABatch(shape);

        for (int i = 0; i < READS; i++) {
            Object read = lost.read(i);
            assertTrue(Long.valueOf(i).equals(read) || shape != Shape.READS_ONLY && read instanceof CacheException,
                    "r" + i + ": " + read);
        }
        assertEachWriteRanOnceOfUnknownOutcome(lost, shape);
    }

    /**
     * Every write of {@code batch}, whose reply never came in time, says its outcome is unknown,
     * reached Redis once, with the batch, and ran once.
     */
    private static void assertEachWriteRanOnceOfUnknownOutcome(BatchOutcomes batch, Shape shape) {
        for (int i = 0; i < batch.writes(); i++) {
            String key = batch.prefix() + "w" + i;
            Object outcome = batch.write(i);
            long received = timesReceived(key);
            long sets = setsRun(key);
            Long value = batch.direct().get("w" + i);
            assertAll(key,
                    () -> assertTrue(outcome instanceof CacheException failure && failure.getMessage().contains("is unknown"),
                            "the write of a batch whose reply never came in time: " + outcome),
                    () -> assertEquals(1, received, "the batch reached Redis once; the write was never sent again"),
                    () -> assertTrue(shape != Shape.WITH_PUTS || sets == 1, "the put's SET ran " + sets + " times"),
                    () -> assertEquals(1L, value, "the write ran once, with the batch"));
        }
    }

    /**
     * A read in a batch with writes whose connection is lost is sent again alone and answers its
     * value, as it would alone (the client resends a read) or in a batch of reads only: Redisson
     * reports the lost connection only as a response timeout, which must not stop the resend.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Shape.class, names = {"WITH_PUTS", "WITH_INCREMENTS"})
    void theReadsOfABatchWithWritesWhoseConnectionIsLostAreSentAgainAlone(Shape shape) throws Exception {
        BatchOutcomes lost = loseTheConnectionOfABatch(shape);

        for (int i = 0; i < READS; i++) {
            assertEquals((long) i, lost.read(i), "r" + i);
            assertEquals(2, timesReceived(lost.prefix() + "r" + i), "r" + i + ": in the batch, then alone");
        }
    }

    /**
     * A batch of reads only that went as a pipeline sent once (containsKey joins no script), whose
     * connection is lost: each read is sent again alone and answers, and Redis, which answered
     * them, is not taken to be unreachable for the batch's failure.
     */
    @Test
    void aLostPipelineOfReadsIsSentAgainAloneAndDoesNotTakeRedisForDown() throws Exception {
        BatchOutcomes lost = loseTheConnectionOfABatch(Shape.WITH_CONTAINS);

        for (int i = 0; i < READS; i++) {
            assertEquals((long) i, lost.read(i), "r" + i);
        }
        for (int i = 0; i < lost.writes(); i++) {
            assertEquals(true, lost.write(i), "containsKey of w" + i);
        }
        assertEquals(Optional.empty(), lost.manager().unreachableSince(), "Redis taken to be unreachable");
    }

    /**
     * A batch that reaches Redis while it stalls (CLIENT PAUSE past the timeout), sent when nothing
     * had failed yet, is not resent after its timeout: each write in it says its outcome is unknown
     * and ran once, when the stall ended; no read answers a wrong value. The puts queued behind it
     * in its lane are never sent: its lost reply shows Redis unreachable.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Shape.class, names = {"WITH_PUTS", "WITH_INCREMENTS"})
    void aBatchThatReachesRedisInAStallRunsItsWritesOnce(Shape shape) throws Exception {
        QueuedBatch queued = queueABatch(shape);
        TcpProxy.Hold onItsWay = proxy.holdRequest(queued.prefix() + "r0");
        queued.lane().release();
        onItsWay.awaitHeld(Duration.ofSeconds(5));
        redis.pauseClients(Duration.ofMillis(2500), RedisServer.PauseMode.ALL);
        LaneCallers behind = new LaneCallers();
        for (int i = 0; i < BATCH_MAX; i++) {
            String key = "q" + i;
            behind.start(() -> {
                queued.cache().put(key, 1L);
                return "put";
            });
        }
        behind.awaitWaitingInLane();
        onItsWay.release();
        BatchOutcomes batch = queued.outcomes();
        List<Object> queuedBehind = behind.outcomes();
        redis.call("PING"); // answered once the pause is over, when the batch has run

        for (int i = 0; i < BATCH_MAX; i++) {
            String key = queued.prefix() + "q" + i;
            Object outcome = queuedBehind.get(i);
            assertAll(key,
                    () -> assertTrue(outcome instanceof CacheException failure
                                    && failure.getMessage().contains("Redis was found unreachable"),
                            "a put queued behind the batch whose reply never came: " + outcome),
                    () -> assertEquals(0, timesReceived(key), "the put reached Redis"));
        }

        for (int i = 0; i < READS; i++) {
            Object read = batch.read(i);
            assertTrue(Long.valueOf(i).equals(read) || read instanceof CacheException, "r" + i + ": " + read);
        }
        assertEachWriteRanOnceOfUnknownOutcome(batch, shape);
    }

    /**
     * A put that Redis refuses inside a batch (out of memory under {@code noeviction}) fails only
     * its own caller: the reads of the same batch answer their values, as they would alone, and the
     * puts fail as they would alone, saying why. Redis runs each put's SET at most once and applies none.
     */
    @Test
    void aPutThatRedisRefusesInABatchFailsOnlyItsOwnCaller() throws Exception {
        QueuedBatch queued = queueABatch(Shape.WITH_PUTS);
        redis.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        redis.call("CONFIG", "SET", "maxmemory", "1");
        BatchOutcomes batch;
        try {
            queued.lane().release();
            batch = queued.outcomes();
        } finally {
            redis.call("CONFIG", "SET", "maxmemory", "0");
        }

        for (int i = 0; i < READS; i++) {
            assertEquals((long) i, batch.read(i), "r" + i + ", read in a batch with a refused put");
        }
        for (int i = 0; i < batch.writes(); i++) {
            String key = batch.prefix() + "w" + i;
            Object outcome = batch.write(i);
            long sets = setsRun(key);
            Long value = batch.direct().get("w" + i);
            assertAll(key,
                    () -> assertTrue(outcome instanceof CacheException failure && failure.getMessage().contains("OOM"),
                            "the put refused for want of memory: " + outcome),
                    () -> assertTrue(sets <= 1, "the put's SET ran " + sets + " times"),
                    () -> assertEquals(0L, value, "the refused put changed nothing"));
        }
    }

    /**
     * The same with READONLY: the server turned into a replica (of a copy of itself, so that the
     * reads still find their values) while the batch waited. Each put fails alone, saying so, as it
     * would alone once the settle time is over; the reads answer their values.
     */
    @Test
    void aPutRefusedAsReadOnlyInABatchFailsOnlyItsOwnCaller() throws Exception {
        QueuedBatch queued = queueABatch(Shape.WITH_PUTS);
        BatchOutcomes batch;
        try (RedisServer copy = RedisServer.startReplicaOf(redis)) {
            copy.call("REPLICAOF", "NO", "ONE");
            redis.call("REPLICAOF", copy.host(), String.valueOf(copy.port()));
            try {
                redis.awaitInSync(Duration.ofSeconds(15));
                queued.lane().release();
                batch = queued.outcomesAfterResends();
            } finally {
                redis.call("REPLICAOF", "NO", "ONE");
            }
        }

        for (int i = 0; i < READS; i++) {
            assertEquals((long) i, batch.read(i), "r" + i + ", read in a batch with a refused put");
        }
        for (int i = 0; i < batch.writes(); i++) {
            String key = batch.prefix() + "w" + i;
            Object outcome = batch.write(i);
            Long value = batch.direct().get("w" + i);
            assertAll(key,
                    () -> assertTrue(outcome instanceof CacheException failure && failure.getMessage().contains("READONLY")
                                    && !failure.getMessage().contains("unknown"), "the put refused by a replica: " + outcome),
                    () -> assertEquals(0L, value, "the refused put changed nothing"));
        }
        assertTrue(batch.manager().unreachableSince().isEmpty(), "a refusal does not make Redis unreachable");
    }

    /**
     * Ten reads and the writes of {@code shape}, queued behind a read that a proxy holds on its way,
     * go as one batch; the proxy holds that batch's reply, Redis having run it, and cuts the connection.
     */
    private BatchOutcomes loseTheConnectionOfABatch(Shape shape) throws Exception {
        QueuedBatch queued = queueABatch(shape);
        TcpProxy.Hold reply = proxy.holdReply(queued.prefix() + "r0");
        queued.lane().release();
        reply.awaitHeld(Duration.ofSeconds(5));
        assertEquals(1, proxy.cut(queued.prefix() + "r0"), "the batch's connection");
        return queued.outcomes();
    }

    /**
     * Queues ten reads and the writes of {@code shape} behind a read that a proxy holds on its
     * way; once the hold is released they go as one batch.
     */
    private QueuedBatch queueABatch(Shape shape) throws Exception {
        Map<String, String> timeout = Map.of("timeout", "1000");
        String name = "batch-" + shape.name().toLowerCase() + "-" + System.nanoTime();
        String prefix = instances.namespace() + ":" + name + ":";
        Cache<String, Long> direct = instances.open(URI.create(redis.uri()), timeout).createCache(name, config(Long.class));
        RedisCacheManager manager = instances.open(URI.create(proxy.uri()), timeout).unwrap(RedisCacheManager.class);
        Cache<String, Long> behindProxy = manager.createCache(name, config(Long.class));
        int writes = shape == Shape.READS_ONLY ? 0 : 4;
        for (int i = 0; i < READS; i++) {
            direct.put("r" + i, (long) i); // no request through the proxy names a read's key before the batch
        }
        for (int i = 0; i < writes; i++) {
            behindProxy.put("w" + i, 0L);
            behindProxy.invoke("w" + i, new Increment()); // remembered: the next increment writes at once
            behindProxy.invoke("w" + i, new Decrement());
        }
        redis.call("SLOWLOG", "RESET");
        BatchSizes.Snapshot before = manager.batchSizes();

        TcpProxy.Hold lane = proxy.holdRequest(prefix + "blocker");
        LaneCallers blocker = new LaneCallers();
        blocker.start(() -> behindProxy.get("blocker"));
        lane.awaitHeld(Duration.ofSeconds(5));
        blocker.awaitWaitingInLane();
        LaneCallers batch = new LaneCallers();
        for (int i = 0; i < writes; i++) {
            String key = "w" + i;
            batch.start(() -> switch (shape) {
                case WITH_PUTS -> {
                    behindProxy.put(key, 1L);
                    yield "put";
                }
                case WITH_CONTAINS -> behindProxy.containsKey(key);
                default -> behindProxy.invoke(key, new Increment());
            });
        }
        for (int i = 0; i < READS; i++) {
            String key = "r" + i;
            batch.start(() -> behindProxy.get(key));
        }
        batch.awaitWaitingInLane();
        return new QueuedBatch(lane, behindProxy, resent -> {
            List<Object> outcomes = batch.outcomes();
            BatchSizes.Snapshot sizes = manager.batchSizes().since(before);
            if (!resent) {
                assertEquals(List.of(2L, 1L + writes + READS), List.of(sizes.batches(), sizes.commands()),
                        "batches and commands: the read alone, then one batch of all the others");
            } else {
                int largest = 63 - Long.numberOfLeadingZeros(writes + READS); // the histogram's slot of that size
                assertEquals(1L, sizes.counts()[largest], "one batch carried all of them: " + sizes.describe());
            }
            return new BatchOutcomes(outcomes, writes, prefix, direct, manager);
        }, prefix);
    }

    /** A batch queued behind a held read: the hold, the cache, and how to wait for the batch's outcomes. */
    private record QueuedBatch(TcpProxy.Hold lane, Cache<String, Long> cache, Outcomes awaitOutcomes, String prefix) {
        BatchOutcomes outcomes() throws Exception {
            return awaitOutcomes.await(false);
        }

        /** The outcomes, where calls refused as not run were sent again after the batch. */
        BatchOutcomes outcomesAfterResends() throws Exception {
            return awaitOutcomes.await(true);
        }
    }

    /** Waits for a batch's outcomes and checks it went as one batch. */
    private interface Outcomes {
        BatchOutcomes await(boolean resent) throws Exception;
    }

    /** The outcomes of the calls of a batch: its writes first, then its reads. */
    private record BatchOutcomes(List<Object> outcomes, int writes, String prefix, Cache<String, Long> direct,
                                 RedisCacheManager manager) {
        Object write(int i) {
            return outcomes.get(i);
        }

        Object read(int i) {
            return outcomes.get(writes + i);
        }
    }

    private static <V> MutableConfiguration<String, V> config(Class<V> type) {
        return new MutableConfiguration<String, V>().setTypes(String.class, type);
    }

    private static boolean exists(String key) {
        return ((Long) redis.call("EXISTS", key)) == 1;
    }

    /** How many commands that name {@code key} the server received from clients. */
    private static long timesReceived(String key) {
        return SlowLog.timesReceived(redis, key);
    }

    private static long setsRun(String key) {
        return SlowLog.setsRun(redis, key);
    }
}
