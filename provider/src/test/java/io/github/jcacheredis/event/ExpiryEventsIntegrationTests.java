package io.github.jcacheredis.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.TestTarget;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every expired entry fires exactly one EXPIRED event per listener, in whichever instance, within
 * two seconds of its expiry, with its value, even when nobody reads it.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.github.jcacheredis.support.TestTarget#both")
class ExpiryEventsIntegrationTests {

    @Parameter
    TestTarget target;
    @AutoClose
    private final Instances instances = new Instances();
    private final String namespace = instances.namespace();

    private Cache<String, String> instance(long ttlMillis) {
        CacheManager manager = instances.add(target.newManager(namespace));
        return manager.createCache("sessions", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, ttlMillis))));
    }

    @Test
    void anEntryNobodyReadsFiresOneExpiredEventWithItsValue() throws InterruptedException {
        Cache<String, String> cache = instance(300);
        ExpiredQueue expired = ExpiredQueue.listenOn(cache);
        long written = System.currentTimeMillis();
        cache.put("s1", "alice");

        String event = expired.next(2_300);
        long latency = System.currentTimeMillis() - (written + 300);
        assertEquals("s1=alice", event);
        assertTrue(latency < 2_000, "reported " + latency + " ms after expiry");
        assertTrue(expired.isEmptyAfter(500), "a second event for the same expiry");
    }

    @Test
    void eachListeningInstanceGetsEachExpiryExactlyOnce() throws InterruptedException {
        Cache<String, String> writer = instance(300);
        ExpiredQueue onB = ExpiredQueue.listenOn(instance(300));
        ExpiredQueue onC = ExpiredQueue.listenOn(instance(300));
        for (int i = 0; i < 5; i++) {
            writer.put("s" + i, "v" + i);
        }
        for (ExpiredQueue queue : List.of(onB, onC)) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 5; i++) {
                counts.merge(queue.next(2_500), 1, Integer::sum);
            }
            assertEquals(Map.of("s0=v0", 1, "s1=v1", 1, "s2=v2", 1, "s3=v3", 1, "s4=v4", 1), counts);
        }
        assertTrue(onB.isEmptyAfter(700) && onC.isEmptyAfter(100), "duplicate expiry events");
    }

    @Test
    void entriesWrittenBeforeTheListenerExistedAreReportedToo() throws InterruptedException {
        Cache<String, String> writer = instance(1_500);
        writer.put("early", "bird");
        ExpiredQueue expired = ExpiredQueue.listenOn(instance(1_500));
        assertEquals("early=bird", expired.next(3_500));
    }

    @Test
    void anEntryThatVanishesBeforeItsTimeIsNotReportedAsExpired() throws InterruptedException {
        Cache<String, String> cache = instance(60_000);
        ExpiredQueue expired = ExpiredQueue.listenOn(cache);
        cache.put("k", "old");
        // the entry disappears long before its TTL (deleted outside the provider, or evicted)
        target.call(namespace + ":sessions:k", "DEL", namespace + ":sessions:k");
        cache.put("k", "new");
        cache.put("marker", "m");
        cache.remove("marker");
        assertTrue(expired.isEmptyAfter(2 * io.github.jcacheredis.store.ExpiryIndex.SWEEP_MILLIS), "an entry that did not expire fired EXPIRED");
    }

    /**
     * destroyCache from a manager that never opened the cache (so it knows nothing of the listener)
     * deletes the shadow copies and due times with the entries: a destroyed entry did not expire.
     */
    @Test
    void anEntryDestroyedWithItsCacheIsNotReportedAsExpired() throws InterruptedException {
        Cache<String, String> cache = instance(1_500);
        ExpiredQueue expired = ExpiredQueue.listenOn(cache);
        cache.put("k", "old");

        instances.add(target.newManager(namespace)).destroyCache("sessions");
        cache.put("later", "v"); // due after k would have been

        assertEquals("later=v", expired.next(4_000), "the first EXPIRED event after the destroy");
        assertEquals(List.of(), target.keys(namespace + ":%shadow:sessions:*k"), "k's shadow copy left behind");
    }

    @Test
    void cachesWithoutExpiryListenersKeepNoShadowCopies() {
        Cache<String, String> cache = instance(60_000);
        cache.put("k", "v");
        assertEquals(List.of(), target.keys(namespace + ":%shadow:*"));
        ExpiredQueue.listenOn(cache);
        cache.put("k2", "v2");
        assertEquals(1, target.keys(namespace + ":%shadow:sessions:*k2").size());
    }

    /** Records expired events as key=value, from a listener that wants old values. */
    static final class ExpiredQueue {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        static ExpiredQueue listenOn(Cache<String, String> cache) {
            ExpiredQueue queue = new ExpiredQueue();
            cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                    FactoryBuilder.factoryOf(new Listener(queue)), null, true, false));
            return queue;
        }

        String next(long timeoutMillis) throws InterruptedException {
            String event = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("no EXPIRED event within " + timeoutMillis + " ms");
            }
            return event;
        }

        boolean isEmptyAfter(long millis) throws InterruptedException {
            return events.poll(millis, TimeUnit.MILLISECONDS) == null;
        }
    }

    static final class Listener implements CacheEntryExpiredListener<String, String>, Serializable {
        private static final long serialVersionUID = 1L;
        private final transient ExpiredQueue queue;

        Listener(ExpiredQueue queue) {
            this.queue = queue;
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            for (CacheEntryEvent<? extends String, ? extends String> e : events) {
                queue.events.add(e.getKey() + "=" + e.getOldValue());
            }
        }
    }
}
