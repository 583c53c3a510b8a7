package io.github.jcacheredis.fault;

import static io.github.jcacheredis.fault.ExpiryFaultTests.expiredOnly;
import static io.github.jcacheredis.fault.ExpiryFaultTests.sessions;
import static io.github.jcacheredis.support.Await.succeeds;
import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.store.ExpiryIndex;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * EXPIRED events when what expiry tracking keeps beside the entries (a copy of each value, due
 * times, the set of slots whose due times the sweeper visits) meets a fault or a race: a restart
 * that empties Redis, the set lost while instances still count their slots listed, a writer that
 * does not know yet whether anyone listens, a clear that a sweep and a write overlap.
 */
class ExpiryRaceFaultTests {

    private RedisServer redis;
    private final List<CacheManager> managers = new ArrayList<>();

    @AfterEach
    void stop() {
        managers.forEach(CacheManager::close);
        if (redis != null) {
            redis.close();
        }
    }

    private CacheManager manager(String uri, String... settings) {
        Properties properties = new Properties();
        properties.setProperty("namespace", "exp");
        for (int i = 0; i < settings.length; i += 2) {
            properties.setProperty(settings[i], settings[i + 1]);
        }
        CacheManager manager = new RedisCachingProvider().getCacheManager(URI.create(uri),
                getClass().getClassLoader(), properties);
        managers.add(manager);
        return manager;
    }

    /** A cache of the keyv layout (whose expiry policy must set a TTL on every write), on its own manager. */
    private Cache<String, String> keyvSessions(long ttlMillis) {
        return manager(redis.uri(), "format", "keyv").createCache("sessions", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(
                        new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttlMillis))));
    }

    /** The events {@code recorder} receives until {@code epochMillis}. */
    private static List<String> eventsUntil(EventRecorder recorder, long epochMillis) throws InterruptedException {
        List<String> events = new ArrayList<>();
        while (System.currentTimeMillis() < epochMillis) {
            events.addAll(recorder.drainAfter(200));
        }
        return events;
    }

    /**
     * With the keyv layout (and on a cluster) the sweeper visits the slots a set lists, and each
     * instance lists a slot once. A restart that empties Redis loses the set: entries written
     * afterwards in a slot the instance had listed before must still be reported.
     */
    @Test
    void expiriesInASlotListedBeforeAnEmptyRestartAreReported() throws InterruptedException {
        redis = RedisServer.start();
        Cache<String, String> cache = keyvSessions(1_000);
        EventRecorder recorder = EventRecorder.register(cache, false);
        cache.put("k", "v1");
        assertEquals("EXPIRED k v1->v1", recorder.next("EXPIRED", 10));

        redis.restart();
        until(() -> succeeds(() -> cache.put("k", "v2"))); // the same key: a slot listed before the restart
        assertEquals("EXPIRED k v2->v2", recorder.next("EXPIRED", 10), "no EXPIRED event after the restart");
    }

    /**
     * The set of listed slots deleted while the instance counts its slot listed (an operator, or
     * eviction under a {@code maxmemory} policy): entries of that slot are still reported.
     */
    @Test
    void expiriesInASlotWhoseListingWasDeletedAreReported() throws InterruptedException {
        redis = RedisServer.start();
        Cache<String, String> cache = keyvSessions(1_000);
        EventRecorder recorder = EventRecorder.register(cache, false);
        cache.put("k", "v1");
        assertEquals("EXPIRED k v1->v1", recorder.next("EXPIRED", 10));

        cache.put("k", "v2");
        assertEquals(1L, redis.call("DEL", "exp:%duetags:sessions::sessions:"));
        assertEquals("EXPIRED k v2->v2", recorder.next("EXPIRED", 10),
                "no EXPIRED event once the set of listed slots was deleted");
    }

    /**
     * A newcomer whose first read of who listens is held on the network past the timeout removes
     * an entry another instance wrote while listening for EXPIRED: the remove takes the entry's
     * copy and due time with it, so the entry is reported removed and never expired.
     */
    @Test
    void anEntryRemovedBeforeItsRemoverKnowsWhoListensIsNotReportedAsExpired() throws Exception {
        redis = RedisServer.start();
        Cache<String, String> listening = sessions(manager(redis.uri()), 2_000);
        EventRecorder recorder = EventRecorder.register(listening, false);
        listening.put("k", "v");
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            CacheManager newcomer = manager(proxy.uri());
            TcpProxy.Hold registryRead = proxy.holdReply("%listeners");
            Cache<String, String> remover = sessions(newcomer, 2_000);
            registryRead.awaitHeld(Duration.ofSeconds(5));
            CompletableFuture<Boolean> removed = CompletableFuture.supplyAsync(() -> remover.remove("k"));
            try {
                assertTrue(removed.get(5, TimeUnit.SECONDS), "the remove did not find the entry");
                assertTrue(registryRead.isHolding(), "precondition: the remove went before the newcomer read who listens");
            } finally {
                registryRead.release();
            }
        }
        assertEquals("REMOVED k v->v", recorder.next("REMOVED", 5));
        assertEquals(List.of(), expiredOnly(recorder.drainAfter(2_000 + 3 * ExpiryIndex.SWEEP_MILLIS)),
                "the removed entry was reported as expired");
    }

    /**
     * A clear whose reply is held on the network while the entry it removed falls due and a
     * sweep runs, and while another instance writes an entry: the cleared entry fires nothing
     * (it did not expire), and the entry written meanwhile, which the clear does not remove, is
     * reported when it expires.
     */
    @Test
    void aClearOverlappedByASweepAndAWriteReportsWhatExpiredAndNothingElse() throws Exception {
        redis = RedisServer.start();
        Cache<String, String> listening = sessions(manager(redis.uri()), 3_000);
        EventRecorder recorder = EventRecorder.register(listening, false);
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            Cache<String, String> clearer = sessions(manager(proxy.uri(), "timeout", "5000"), 3_000);
            clearer.remove("warm-up"); // a write: it waits for the clearer's read of who listens
            listening.put("cleared", "v");
            long clearedDue = System.currentTimeMillis() + 3_000;
            List<String> events = eventsUntil(recorder, clearedDue - 500);
            TcpProxy.Hold deletion = proxy.holdReply("cleared");
            CompletableFuture<Void> clear = CompletableFuture.runAsync(clearer::clear);
            deletion.awaitHeld(Duration.ofSeconds(5)); // Redis deleted "cleared"; the reply waits in the proxy
            assertNull(listening.get("cleared"));
            listening.put("written", "w");
            long writtenDue = System.currentTimeMillis() + 3_000;
            events.addAll(eventsUntil(recorder, clearedDue + 2 * ExpiryIndex.SWEEP_MILLIS));
            assertTrue(deletion.isHolding(), "precondition: the clear was still under way");
            deletion.release();
            clear.get(5, TimeUnit.SECONDS);
            assertEquals("w", listening.get("written"), "the entry written during the clear survives it");
            events.addAll(eventsUntil(recorder, writtenDue + ExpiryFaultTests.WITHIN_MILLIS));
            assertEquals(List.of("EXPIRED written w->w"), expiredOnly(events));
        }
    }
}
