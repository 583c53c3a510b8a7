package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.config.FailureMode;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisTimeoutException;

/**
 * How a cache's calls treat back-pressure (a client whose pool had no free connection, a batch lane
 * with no room), against a refused connection.
 */
class RedisCallsUnitTests {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private RedisHealth health(FailureMode mode) {
        return new RedisHealth(null, mode, "m", scheduler);
    }

    /** Calls of cache c that wait {@code poolWaitMillis} for a free connection. */
    private static RedisCalls calls(RedisHealth health, long poolWaitMillis) {
        return new RedisCalls("c", new KeyLayout("ns", "c"), health, 0, poolWaitMillis);
    }

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void callsThatFindThePoolExhaustedFailAloneAndLeaveRedisUp(FailureMode mode) {
        backPressureFailsAloneAndLeavesRedisUp(mode, FailuresUnitTests.POOL_EXHAUSTED,
                "connection pool was exhausted", "connectionPoolSize");
    }

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void callsRefusedForWantOfRoomInTheirLaneFailAloneAndLeaveRedisUp(FailureMode mode) {
        backPressureFailsAloneAndLeavesRedisUp(mode, new BatchLane.NoRoom("16 calls for this Redis node are waiting or"
                + " on their way already; the call for k was not sent"), "the call for k was not sent", "batch-max");
    }

    private void backPressureFailsAloneAndLeavesRedisUp(FailureMode mode, RuntimeException backPressure, String says,
                                                        String advice) {
        RedisHealth health = health(mode);
        RedisCalls calls = calls(health, 0);
        AtomicInteger attempts = new AtomicInteger();
        Supplier<Object> refused = () -> {
            attempts.incrementAndGet();
            throw backPressure;
        };

        CacheException write = assertThrows(CacheException.class, () -> calls.blindWrite("SET", List.of("k"), refused, null));
        assertEquals(1 + RedisCalls.WRITE_RETRIES, attempts.get(), "a write that did not run is sent again");
        CacheException read = assertThrows(CacheException.class, () -> calls.read("MGET", refused, null));
        CacheException deletingRead = assertThrows(CacheException.class,
                () -> calls.destructiveRead("GETDEL", refused, null));

        for (CacheException failure : List.of(write, read, deletingRead)) {
            assertTrue(failure.getMessage().startsWith("Cache[c]: Redis "), failure.getMessage());
            assertTrue(failure.getMessage().contains(says), failure.getMessage());
            assertTrue(failure.getMessage().contains(advice), failure.getMessage());
            assertSame(backPressure, failure.getCause());
        }
        assertFalse(health.isDown());
        assertEquals(0, health.skippedWrites());
    }

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void aCallThatFoundNoFreeConnectionIsSentAgainWhileItsWaitLasts(FailureMode mode) {
        RedisHealth health = health(mode);
        RedisCalls calls = calls(health, 60_000);
        AtomicInteger attempts = new AtomicInteger();
        Supplier<Object> freeOnTheThirdAttempt = () -> {
            if (attempts.incrementAndGet() < 3) {
                throw FailuresUnitTests.POOL_EXHAUSTED;
            }
            return "answer";
        };

        assertEquals("answer", calls.read("MGET", freeOnTheThirdAttempt, null));
        assertEquals(3, attempts.get());
        attempts.set(0);
        assertEquals("answer", calls.write("SET", List.of("k"), freeOnTheThirdAttempt, null));
        assertEquals(3, attempts.get(), "a write that was not sent may be sent again");
        attempts.set(0);
        assertEquals("answer", calls.destructiveRead("GETDEL", freeOnTheThirdAttempt, null));
        assertEquals(3, attempts.get());
        assertFalse(health.isDown());
    }

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void aCallStopsWaitingForAConnectionOnceRedisIsFoundUnreachable(FailureMode mode) {
        RedisHealth health = health(mode);
        RedisCalls calls = calls(health, 60_000);
        AtomicInteger attempts = new AtomicInteger();
        Supplier<Object> crowdedWhileRedisStalls = () -> {
            if (attempts.incrementAndGet() == 2) {
                // meanwhile a call holding a connection timed out
                health.unavailable(new RedisTimeoutException("Redis server response timeout"));
            }
            throw FailuresUnitTests.POOL_EXHAUSTED;
        };

        CacheException failure = assertThrows(CacheException.class, () -> calls.read("MGET", crowdedWhileRedisStalls, null));
        assertTrue(failure.getMessage().contains("connection pool was exhausted"), failure.getMessage());
        assertEquals(2, attempts.get(), "no more waiting for a connection to a Redis found unreachable");
        health.close();
    }

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void aRefusedConnectionStillMarksRedisUnreachable(FailureMode mode) {
        RedisHealth health = health(mode);
        RedisCalls calls = calls(health, 0);
        Supplier<Object> refused = () -> {
            throw new RedisConnectionException("Unable to connect to Redis server");
        };

        if (mode == FailureMode.DEGRADE) {
            assertEquals("empty", calls.read("GET", refused, "empty"));
        } else {
            assertThrows(CacheException.class, () -> calls.read("GET", refused, null));
        }
        assertTrue(health.isDown());
        health.close();
    }
}
