package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.ChildInstance;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.WriteThroughCounters;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * An instance of a write-through cache freezes (SIGSTOP, as a long GC pause would) inside its
 * CacheWriter, holding the entry's write lease, for longer than the lease lasts. Another instance
 * must then get the lease and write; the frozen one, once thawed, must find its write to the cache
 * refused instead of overwriting the newer value, remove the entry so the cache does not contradict
 * the system of record, and say so.
 */
class PausedLeaseHolderFaultTests {

    private static final long WRITER_DELAY_MILLIS = 300;
    /** Longer than a write lease lasts without renewal (5 s). */
    private static final Duration PAUSE = Duration.ofSeconds(7);

    @AutoClose
    final Instances instances = new Instances();

    @Test
    void aHolderThawedAfterItsLeaseRanOutCannotOverwriteTheNewerWrite() throws Exception {
        try (RedisServer redis = RedisServer.start(); RedisServer records = RedisServer.start();
             ChildInstance frozen = ChildInstance.start(URI.create(redis.uri()), instances.namespace())) {
            Cache<String, Long> counters = instances.add(new io.github.jcacheredis.RedisCachingProvider()
                    .getCacheManager(URI.create(redis.uri() + "?namespace=" + instances.namespace()),
                            getClass().getClassLoader(), new java.util.Properties()))
                    .createCache("counters", WriteThroughCounters.configuration(records.host(), records.port(),
                            WRITER_DELAY_MILLIS));
            counters.put("n", 10L);

            CompletableFuture<String> stale = frozen.incrementThrough("counters", "n", records, WRITER_DELAY_MILLIS);
            Await.until("the other instance is inside its writer", Duration.ofSeconds(20),
                    () -> records.call("EXISTS", "writing:n").equals(1L));
            frozen.pause();
            long pausedAt = System.nanoTime();
            try {
                // waits for the frozen instance's lease to run out, then increments the value the cache holds
                assertEquals(11L, counters.invoke("n", new WriteThroughCounters.Increment()));
                assertTrue(System.nanoTime() - pausedAt < PAUSE.toNanos(), "the lease did not run out while frozen");
                Await.until("the pause lasted", PAUSE.plusSeconds(1), () -> System.nanoTime() - pausedAt > PAUSE.toNanos());
            } finally {
                frozen.resume();
            }

            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> stale.get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("write lease"), refused.getCause().getMessage());
            // the thawed writer overwrote the record with its stale count; the cache must not keep any value then
            assertNull(counters.get("n"), "the cache must not hold a value the system of record may contradict");
            assertEquals(java.util.List.of(), redis.call("KEYS", instances.namespace() + ":%lease:*"),
                    "both instances released their leases");
        }
    }
}
