package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisBusyException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.WriteRedisConnectionException;

/** What Redisson's failures mean for a command, with the messages Redisson 4 gives them. */
class FailuresUnitTests {

    /** Redisson's failure when no connection of the pool became free within the retry attempts. */
    static final RedisTimeoutException POOL_EXHAUSTED = new RedisTimeoutException("Unable to acquire connection!"
            + " Increase connection pool size. Node source: NodeSource [slot=0], command: (MGET), params: [k]"
            + " after 1 of 1 retry attempts");

    @Test
    void aPoolWithNoFreeConnectionMeansTheCommandDidNotRunAndRedisIsNotUnreachable() {
        RedisTimeoutException withinTimeout = new RedisTimeoutException("Unable to acquire connection!"
                + " java.util.concurrent.CompletableFuture@1[Completed exceptionally]Increase connection pool size"
                + " or timeout. Node source: NodeSource [slot=0], command: (SET), params: [k] after 0 of 0 retry attempts");
        for (Throwable failure : new Throwable[] {POOL_EXHAUSTED, withinTimeout, new CompletionException(POOL_EXHAUSTED)}) {
            assertEquals(Failures.NOT_RUN, Failures.of(failure));
            assertTrue(Failures.isBackPressure(failure));
            assertTrue(Failures.isPoolExhausted(failure));
            assertTrue(Failures.isCongested(failure), "a call sends it again while its wait lasts");
            assertFalse(RedisCalls.isUnreachable(Failures.unwrap(failure)));
        }
    }

    /** Thrown as Redisson groups a multi-key call's keys by node while a slot is moving, before anything is sent. */
    @Test
    void aMultiKeyCallWhoseSlotHasNoKnownNodeDidNotRunAndIsTriedAgainWhileTheLayoutSettles() {
        CompletionException grouping = new CompletionException(
                new NullPointerException("element cannot be mapped to a null key"));

        assertEquals(Failures.NOT_RUN, Failures.of(grouping));
        assertTrue(Failures.isTransient(grouping));
        assertFalse(Failures.isTransient(new NullPointerException("something else")));
    }

    @Test
    void aCallRefusedForWantOfRoomInItsBatchLaneDidNotRunAndRedisIsNotUnreachable() {
        BatchLane.NoRoom noRoom = new BatchLane.NoRoom("1024 calls for this Redis node are waiting or on their way"
                + " already; the call for k was not sent");
        assertEquals(Failures.NOT_RUN, Failures.of(noRoom));
        assertTrue(Failures.isBackPressure(noRoom));
        assertFalse(Failures.isPoolExhausted(noRoom), "it waited for room up to the timeout already");
        assertFalse(RedisCalls.isUnreachable(noRoom));
        assertFalse(RedisCalls.isUnreachable(new RuntimeException(noRoom)));
    }

    @Test
    void aConnectionThatCannotBeMadeStillMeansRedisIsUnreachable() {
        RedisConnectionException refused = new RedisConnectionException("Unable to connect to Redis server",
                new ConnectException("Connection refused"));
        assertEquals(Failures.NOT_RUN, Failures.of(refused));
        assertFalse(Failures.isBackPressure(refused));
        assertTrue(RedisCalls.isUnreachable(refused));
    }

    /**
     * Redisson cancels a write that its connection's I/O thread did not carry out within the retry
     * delays (a JVM short of CPU), and fails the command so: it never ran, and says nothing of Redis.
     */
    @Test
    void aCommandNotWrittenInTimeDidNotRunAndRedisIsNotUnreachable() {
        RedisTimeoutException unwritten = new RedisTimeoutException("Command still hasn't been written into connection!"
                + " Check CPU usage of the JVM. Check connection with Redis node: localhost/127.0.0.1:6379 for TCP packet"
                + " drops. Try to increase nettyThreads setting. Netty pending tasks: 27, command: (MGET), params: [k]"
                + " after 1 of 1 retry attempts");
        for (Throwable failure : new Throwable[] {unwritten, new CompletionException(unwritten)}) {
            assertEquals(Failures.NOT_RUN, Failures.of(failure));
            assertTrue(Failures.isBackPressure(failure));
            assertTrue(Failures.isCongested(failure), "a call sends it again while its wait lasts");
            assertFalse(Failures.isPoolExhausted(failure), "its failure does not blame the pool");
            assertFalse(RedisCalls.isUnreachable(Failures.unwrap(failure)));
        }
    }

    @Test
    void aResponseTimeoutIsNotTakenForBackPressure() {
        RedisResponseTimeoutException noReply = new RedisResponseTimeoutException("Redis server response timeout");
        assertEquals(Failures.UNKNOWN, Failures.of(noReply));
        assertFalse(Failures.isBackPressure(noReply));
        assertTrue(RedisCalls.isUnreachable(noReply));
    }

    /**
     * Redisson fails a batch whole, completing none of its commands, when Redis refused one of them
     * as BUSY (or LOADING, TRYAGAIN...). Another command of it may have run if the refusal ended
     * while Redis read the pipeline: its outcome is unknown, it is not tried again, and Redis, which
     * answered, is not taken to be unreachable.
     */
    @Test
    void aCommandWithoutReplyInABatchRefusedAsBusyHasAnUnknownOutcomeAndRedisIsReachable() {
        Failures.NoReplyInBatch noReply = new Failures.NoReplyInBatch(new RedisBusyException(
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."), true);

        assertEquals(Failures.UNKNOWN, Failures.of(new CompletionException(noReply)));
        assertFalse(Failures.isTransient(noReply), "a write that may have run is not sent again");
        assertTrue(Failures.isAnsweredBatch(noReply));
        assertFalse(RedisCalls.isUnreachable(noReply));
    }

    /** A batch that found no connection reached Redis with none of its commands: each may be sent again. */
    @Test
    void aCommandOfABatchThatFoundNoConnectionDidNotRun() {
        RedisConnectionException refused = new RedisConnectionException("Unable to connect to Redis server",
                new ConnectException("Connection refused"));

        assertEquals(Failures.NOT_RUN, Failures.of(new Failures.NoReplyInBatch(refused, true)));
        assertEquals(Failures.UNKNOWN, Failures.of(new Failures.NoReplyInBatch(refused, false)),
                "once another command of the batch has its reply, the batch reached Redis");
        assertFalse(Failures.isAnsweredBatch(new Failures.NoReplyInBatch(refused, true)));
        RedisConnectionException cutWhileWriting = new WriteRedisConnectionException("Unable to write command into connection!");
        assertEquals(Failures.UNKNOWN, Failures.of(new Failures.NoReplyInBatch(cutWhileWriting, true)),
                "a batch whose connection closed while it was being written may have reached Redis in part");
    }
}
