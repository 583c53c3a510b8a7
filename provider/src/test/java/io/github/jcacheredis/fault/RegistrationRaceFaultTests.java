package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A registration of a near cache or a listener on instance B must not miss a write of instance A
 * that races with it: a write A had already sent when B registered (A chose not to publish it,
 * since nobody listened then, and it reached Redis after B had registered and read), or A's
 * registry heartbeat, which read the registry before B registered and applied what it read after
 * A had confirmed B. A talks to Redis through a proxy that holds one request or one reply, as a
 * slow network path would; B talks to Redis directly.
 */
class RegistrationRaceFaultTests {

    private static final String CACHE = "prices";
    /** Longer than any hold here: A's calls wait for their replies rather than fail. */
    private static final Map<String, String> PATIENT = Map.of("timeout", "15000");

    @AutoClose
    final Instances instances = new Instances();
    private final TcpProxy proxy = TcpProxy.inFrontOf(TestRedis.server());

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void aWriteInFlightWhileANearCacheRegistersIsNotMissed() throws Exception {
        HeldWrite held = heldWriteOfOneOverZero(writerBehindProxy());
        CompletableFuture<Cache<String, Long>> created = CompletableFuture.supplyAsync(this::nearCacheInstance);
        Cache<String, Long> early = returnedWithin(created, Duration.ofSeconds(1));
        if (early != null) {
            assertEquals(0L, early.get("k"), "A's write has not reached Redis yet");
        }
        held.complete();
        Cache<String, Long> b = created.get(10, TimeUnit.SECONDS);
        assertEventually("B reads A's write", () -> b.get("k"), 1L);
    }

    @Test
    void aWriteHeldLongerThanTheConfirmationWaitLeavesTheNearCacheUnusedUntilConfirmed() throws Exception {
        Cache<String, Long> a = writerBehindProxy();
        HeldWrite held = heldWriteOfOneOverZero(a);
        Cache<String, Long> b = nearCacheInstance(); // A cannot confirm B while its write is in flight
        assertEquals(0L, b.get("k"), "A's write has not reached Redis yet");
        held.complete();
        assertEventually("B reads A's write", () -> b.get("k"), 1L);
        a.put("k", 2L);
        assertEventually("B reads A's next write", () -> b.get("k"), 2L);
    }

    @Test
    void aWriteInFlightWhileAListenerRegistersIsHeardOrAppliedBeforeTheRegistrationReturns() throws Exception {
        Cache<String, Long> a = writerBehindProxy();
        Cache<String, Long> b = instances.open(directUri(), Map.of()).createCache(CACHE, config());
        a.put("k", 0L);
        TcpProxy.Hold held = proxy.holdRequest(entryKey("k"));
        CompletableFuture<Long> write = CompletableFuture.supplyAsync(() -> {
            a.put("k", 1L);
            return System.nanoTime();
        });
        held.awaitHeld(Duration.ofSeconds(10));

        CompletableFuture<Long> registered = new CompletableFuture<>();
        List<EventRecorder> recorder = new ArrayList<>();
        CompletableFuture.runAsync(() -> {
            recorder.add(EventRecorder.register(b, false));
            registered.complete(System.nanoTime());
        });
        boolean returnedWhileTheWriteWasHeld = returnedWithin(registered, Duration.ofSeconds(1)) != null;
        held.release();
        long written = write.get(10, TimeUnit.SECONDS);
        long returned = registered.get(10, TimeUnit.SECONDS);
        if (returnedWhileTheWriteWasHeld) {
            assertEquals("UPDATED k 0->1", recorder.get(0).next(3),
                    "the registration returned before A's write reached Redis, so B's listener must hear of it");
        } else {
            assertTrue(returned > written, "the registration returned only after A's write was applied");
        }
    }

    @Test
    void aHeartbeatThatReadTheRegistryBeforeANearCacheRegisteredDoesNotDropIt() throws Exception {
        Cache<String, Long> a = writerBehindProxy();
        a.put("k", 0L);
        TcpProxy.Hold heartbeat = proxy.holdReply(registryKey());
        heartbeat.awaitHeld(Duration.ofSeconds(15)); // A's heartbeat read the registry; B is not in it

        Cache<String, Long> b = nearCacheInstance(); // A confirms B meanwhile
        assertEquals(0L, b.get("k"));
        heartbeat.release(); // A applies what it read before B registered
        for (long version = 1; version <= 20; version++) {
            a.put("k", version);
            assertEventually("B reads A's write " + version, () -> b.get("k"), version);
        }
    }

    @Test
    void aHeartbeatThatReadTheRegistryBeforeAListenerRegisteredDoesNotDropIt() throws Exception {
        Cache<String, Long> a = writerBehindProxy();
        Cache<String, Long> b = instances.open(directUri(), Map.of()).createCache(CACHE, config());
        TcpProxy.Hold heartbeat = proxy.holdReply(registryKey());
        heartbeat.awaitHeld(Duration.ofSeconds(15));

        EventRecorder recorder = EventRecorder.register(b, false);
        heartbeat.release();
        for (long version = 1; version <= 20; version++) {
            a.put("k", version);
            assertEquals(version == 1 ? "CREATED k null->1" : "UPDATED k " + (version - 1) + "->" + version,
                    recorder.next(2), "B's listener hears A's write " + version);
        }
    }

    /**
     * A new instance writes while its first read of the registry has not come back (the reply is
     * held on its network path for longer than its timeout): it does not know that B listens and
     * keeps a near cache, so after waiting for the read as long as for a reply, it must publish what
     * it writes, or B hears nothing and serves the value A replaced.
     */
    @Test
    void writesOfAnInstanceThatHasNotReadTheRegistryYetReachOtherInstances() throws Exception {
        Cache<String, Long> b = nearCacheInstance();
        EventRecorder recorder = EventRecorder.register(b, false);
        b.put("k", 0L);
        assertEquals("CREATED k null->0", recorder.next(2));
        assertEquals(0L, b.get("k")); // held in B's near cache

        CacheManager newcomer = instances.open(URI.create(proxy.uri()), Map.of("timeout", "500"));
        TcpProxy.Hold registryRead = proxy.holdReply(registryKey());
        Cache<String, Long> a = newcomer.createCache(CACHE, config()); // reads the registry in the background
        registryRead.awaitHeld(Duration.ofSeconds(10));
        try {
            try {
                a.put("k", 1L);
            } catch (CacheException e) {
                // the client hands out again the connection whose read timed out, and the proxy holds
                // everything that connection receives: the put ran in Redis, only its reply waits
                assertTrue(e.getMessage().contains("is unknown"), e.getMessage());
            }
            assertEquals("UPDATED k 0->1", recorder.next(2), "B's listener hears A's write");
            assertEventually("B reads A's write", () -> b.get("k"), 1L);
        } finally {
            registryRead.release();
        }
    }

    /** A's write of k = 1 over k = 0, sent and held on its way to Redis. */
    private HeldWrite heldWriteOfOneOverZero(Cache<String, Long> a) {
        a.put("k", 0L);
        TcpProxy.Hold hold = proxy.holdRequest(entryKey("k"));
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> a.put("k", 1L));
        hold.awaitHeld(Duration.ofSeconds(10));
        return new HeldWrite(hold, write);
    }

    /** A write whose request the proxy holds. */
    private record HeldWrite(TcpProxy.Hold hold, CompletableFuture<Void> write) {

        /** Lets the request through and waits for the write to return. */
        void complete() throws Exception {
            hold.release();
            write.get(10, TimeUnit.SECONDS);
        }
    }

    private Cache<String, Long> writerBehindProxy() {
        return instances.open(URI.create(proxy.uri()), PATIENT).createCache(CACHE, config());
    }

    private Cache<String, Long> nearCacheInstance() {
        CacheManager manager = instances.open(directUri(), Instances.NEAR_CACHE_PUBLISHED);
        return manager.createCache(CACHE, config());
    }

    private static MutableConfiguration<String, Long> config() {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class);
    }

    private static URI directUri() {
        return URI.create(TestRedis.server().uri());
    }

    private String entryKey(String key) {
        return instances.namespace() + ":" + CACHE + ":" + key;
    }

    private String registryKey() {
        return instances.namespace() + ":%listeners";
    }

    /** The result if {@code future} completes within {@code window}, else null (it is still running). */
    private static <T> T returnedWithin(CompletableFuture<T> future, Duration window)
            throws InterruptedException, ExecutionException {
        try {
            return future.get(window.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            return null;
        }
    }

    private static void assertEventually(String what, Supplier<Long> actual, long expected) {
        Await.until(what + " (expected " + expected + ")", Duration.ofSeconds(3),
                () -> Long.valueOf(expected).equals(actual.get()), () -> "last read " + actual.get());
    }
}
