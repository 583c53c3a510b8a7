package io.github.jcacheredis.support;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/**
 * A listener that records every event it receives as text ({@code "UPDATED k v1->v2"}), for tests
 * that check which events arrived and in which order. Listener factories serialize the listener,
 * so the recorded events live in a static registry under the recorder's id.
 */
public final class EventRecorder {

    private static final Map<String, BlockingQueue<String>> QUEUES = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private MutableCacheEntryListenerConfiguration<?, ?> configuration;

    private EventRecorder() {
        QUEUES.put(id, events);
    }

    /** Registers a recorder on {@code cache}, synchronous or not, with old values. */
    public static <K, V> EventRecorder register(Cache<K, V> cache, boolean synchronous) {
        EventRecorder recorder = unregistered(synchronous);
        cache.registerCacheEntryListener(recorder.<K, V>configuration());
        return recorder;
    }

    /** A recorder, synchronous or not, with old values, that is registered nowhere yet. */
    public static EventRecorder unregistered(boolean synchronous) {
        EventRecorder recorder = new EventRecorder();
        recorder.configuration = new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(new Listener<>(recorder.id)), null, true, synchronous);
        return recorder;
    }

    @SuppressWarnings("unchecked")
    public <K, V> MutableCacheEntryListenerConfiguration<K, V> configuration() {
        return (MutableCacheEntryListenerConfiguration<K, V>) configuration;
    }

    /** The next event, waiting up to {@code seconds}; fails when none comes. */
    public String next(long seconds) throws InterruptedException {
        String event = events.poll(seconds, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + seconds + " s");
        }
        return event;
    }

    public String next() throws InterruptedException {
        return next(5);
    }

    /** The next event of {@code type} (CREATED, EXPIRED, ...), skipping others, waiting up to {@code seconds}. */
    public String next(String type, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no " + type + " event within " + seconds + " s");
            }
            if (event.startsWith(type + " ")) {
                return event;
            }
        }
    }

    /** Waits for the events up to and including the first that equals {@code last}; returns them all. */
    public List<String> until(String last, long seconds) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("'" + last + "' did not arrive within " + seconds + " s; got " + seen);
            }
            seen.add(event);
            if (event.equals(last)) {
                return seen;
            }
        }
    }

    /**
     * Waits for one EXPIRED event per key of {@code deadlines} (the time, in
     * {@link System#currentTimeMillis()}, by which its entry expired), each carrying {@code value};
     * fails on any other, repeated or missing EXPIRED event. Returns how late (ms after the deadline)
     * each event came.
     */
    public Map<String, Long> expiries(Map<String, Long> deadlines, String value, long seconds) throws InterruptedException {
        Map<String, Long> lateness = new HashMap<>();
        while (lateness.size() < deadlines.size()) {
            String event;
            try {
                event = next("EXPIRED", seconds);
            } catch (AssertionError e) {
                Set<String> missing = new TreeSet<>(deadlines.keySet());
                missing.removeAll(lateness.keySet());
                throw new AssertionError("no EXPIRED event for " + missing + " within " + seconds + " s", e);
            }
            long now = System.currentTimeMillis();
            String key = event.split(" ")[1];
            if (!event.equals("EXPIRED " + key + " " + value + "->" + value) || !deadlines.containsKey(key)
                    || lateness.containsKey(key)) {
                throw new AssertionError("unexpected or repeated: " + event);
            }
            lateness.put(key, now - deadlines.get(key));
        }
        return lateness;
    }

    /** The events that arrive within {@code millis} from now. */
    public List<String> drainAfter(long millis) throws InterruptedException {
        Thread.sleep(millis); // a window in which nothing may arrive: there is no condition to wait for
        return drain();
    }

    /** The events received so far, without waiting. */
    public List<String> drain() {
        List<String> drained = new ArrayList<>();
        events.drainTo(drained);
        return drained;
    }

    /** Records every kind of event. */
    static final class Listener<K, V> implements CacheEntryCreatedListener<K, V>, CacheEntryUpdatedListener<K, V>,
            CacheEntryRemovedListener<K, V>, CacheEntryExpiredListener<K, V>, Serializable {

        private static final long serialVersionUID = 1L;
        private final String id;

        Listener(String id) {
            this.id = id;
        }

        private void record(Iterable<CacheEntryEvent<? extends K, ? extends V>> received) {
            BlockingQueue<String> queue = QUEUES.get(id);
            for (CacheEntryEvent<? extends K, ? extends V> e : received) {
                queue.add(e.getEventType() + " " + e.getKey() + " " + e.getOldValue() + "->" + e.getValue());
            }
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
            record(events);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
            record(events);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
            record(events);
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
            record(events);
        }
    }
}
