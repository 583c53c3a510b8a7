package io.github.jcacheredis.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.support.TestTarget;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Listeners on one instance receive the writes of another, through Redis. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.github.jcacheredis.support.TestTarget#both")
class CrossInstanceListenerIntegrationTests {

    @Parameter
    TestTarget target;

    private CacheManager instanceA;
    private CacheManager instanceB;
    private Cache<String, String> onA;
    private Cache<String, String> onB;

    @BeforeEach
    void twoInstances() {
        String namespace = TestRedis.uniqueNamespace();
        instanceA = target.newManager(namespace);
        instanceB = target.newManager(namespace);
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class);
        onA = instanceA.createCache("shared", config);
        onB = instanceB.createCache("shared", config);
    }

    @AfterEach
    void close() {
        instanceA.close();
        instanceB.close();
    }

    @Test
    void aListenerOnBReceivesAsWritesInOrderWithOldValues() throws InterruptedException {
        RecordingListener.Queue received = RecordingListener.register(onB, true);

        onA.put("k", "v1");
        onA.put("k", "v2");
        onA.remove("k");

        assertEquals("CREATED k null->v1", received.next());
        assertEquals("UPDATED k v1->v2", received.next());
        assertEquals("REMOVED k v2->v2", received.next());
    }

    @Test
    void eventsOfTheListeningInstanceItselfAreDeliveredOnce() throws InterruptedException {
        RecordingListener.Queue received = RecordingListener.register(onB, true);
        onB.put("own", "x");
        onA.put("theirs", "y");
        List<String> events = new ArrayList<>(List.of(received.next(), received.next()));
        assertTrue(events.contains("CREATED own null->x"), events.toString());
        assertTrue(events.contains("CREATED theirs null->y"), events.toString());
        onA.put("marker", "z");
        assertEquals("CREATED marker null->z", received.next(), "no duplicate of the own event came in between");
    }

    @Test
    void deregisteringStopsDelivery() throws InterruptedException {
        RecordingListener.Queue received = RecordingListener.register(onB, false);
        onA.put("before", "1");
        assertEquals("CREATED before null->1", received.next());

        onB.deregisterCacheEntryListener(received.configuration());
        onA.put("after", "2");
        onB.registerCacheEntryListener(RecordingListener.configuration(new RecordingListener.Queue(), false));
        onA.put("marker", "3");
        assertTrue(received.isEmptyAfter(500), "a deregistered listener got events");
    }

    /** Records events as text; a static registry, because listener factories create the instance. */
    static final class RecordingListener implements CacheEntryCreatedListener<String, String>,
            CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String>, Serializable {

        private static final long serialVersionUID = 1L;
        private final transient Queue queue;

        RecordingListener(Queue queue) {
            this.queue = queue;
        }

        static Queue register(Cache<String, String> cache, boolean oldValues) {
            Queue queue = new Queue();
            MutableCacheEntryListenerConfiguration<String, String> config = configuration(queue, oldValues);
            queue.configuration = config;
            cache.registerCacheEntryListener(config);
            return queue;
        }

        static MutableCacheEntryListenerConfiguration<String, String> configuration(Queue queue, boolean oldValues) {
            return new MutableCacheEntryListenerConfiguration<>(
                    FactoryBuilder.factoryOf(new RecordingListener(queue)), null, oldValues, true);
        }

        private void record(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            for (CacheEntryEvent<? extends String, ? extends String> e : events) {
                queue.events.add(e.getEventType() + " " + e.getKey() + " " + e.getOldValue() + "->" + e.getValue());
            }
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events)
                throws CacheEntryListenerException {
            record(events);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events)
                throws CacheEntryListenerException {
            record(events);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events)
                throws CacheEntryListenerException {
            record(events);
        }

        static final class Queue {
            final BlockingQueue<String> events = new LinkedBlockingQueue<>();
            MutableCacheEntryListenerConfiguration<String, String> configuration;

            String next() throws InterruptedException {
                String event = events.poll(1, TimeUnit.SECONDS);
                if (event == null) {
                    throw new AssertionError("no event within 1 s");
                }
                return event;
            }

            boolean isEmptyAfter(long millis) throws InterruptedException {
                return events.poll(millis, TimeUnit.MILLISECONDS) == null;
            }

            MutableCacheEntryListenerConfiguration<String, String> configuration() {
                return configuration;
            }
        }
    }
}
