package io.github.jcacheredis.event;

import io.github.jcacheredis.concurrent.DaemonThreads;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners registered on one cache in this JVM. Synchronous listeners run on the caller's
 * thread before the mutating call returns; asynchronous ones run in order on a shared pool.
 */
public final class EventDispatcher<K, V> implements Closeable {

    static final ExecutorService ASYNC = DaemonThreads.pool("jcache-redis-listener");

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final List<ListenerRegistration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private volatile int wantedTypes;

    /** Registers a listener; the same configuration twice is refused. */
    public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
        for (ListenerRegistration<K, V> existing : registrations) {
            if (existing.configuration().equals(configuration)) {
                throw new IllegalArgumentException("this listener configuration is already registered");
            }
        }
        registrations.add(new ListenerRegistration<>(configuration, new SerialExecutor(ASYNC)));
        recompute();
    }

    /** Removes a listener and closes it; unknown configurations are ignored. */
    public synchronized void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
        for (ListenerRegistration<K, V> registration : registrations) {
            if (registration.configuration().equals(configuration)) {
                registrations.remove(registration);
                recompute();
                closeQuietly(registration);
                return;
            }
        }
    }

    /** The configurations of the registered listeners. */
    public List<CacheEntryListenerConfiguration<K, V>> configurations() {
        List<CacheEntryListenerConfiguration<K, V>> result = new ArrayList<>();
        registrations.forEach(r -> result.add(r.configuration()));
        return result;
    }

    /** True when some listener takes events of this type. */
    public boolean wants(EventType type) {
        return (wantedTypes & (1 << type.ordinal())) != 0;
    }

    /** The event types some listener takes, one bit per {@link EventType} ordinal. */
    public int typeMask() {
        return wantedTypes;
    }

    /** Delivers an event from another instance; listener failures are logged, not thrown. */
    public void dispatchQuietly(EntryEvent<K, V> event) {
        try {
            dispatch(event);
        } catch (RuntimeException e) {
            LOG.warn("a cache entry listener failed on an event from another instance", e);
        }
    }

    /** True when some listener takes any event. */
    public boolean hasListeners() {
        return wantedTypes != 0;
    }

    public void dispatch(EntryEvent<K, V> event) {
        if (wants(event.getEventType())) {
            dispatch(List.of(event));
        }
    }

    /** Delivers events to every listener; the first failure of a synchronous one is rethrown. */
    public void dispatch(List<EntryEvent<K, V>> events) {
        if (events.isEmpty()) {
            return;
        }
        CacheEntryListenerException failure = null;
        for (ListenerRegistration<K, V> registration : registrations) {
            try {
                registration.deliver(events);
            } catch (CacheEntryListenerException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void recompute() {
        int mask = 0;
        for (ListenerRegistration<K, V> registration : registrations) {
            for (EventType type : EventType.values()) {
                if (registration.accepts(type)) {
                    mask |= 1 << type.ordinal();
                }
            }
        }
        wantedTypes = mask;
    }

    @Override
    public synchronized void close() {
        registrations.forEach(EventDispatcher::closeQuietly);
        registrations.clear();
        recompute();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // closing listener resources must not stop the cache from closing
        }
    }
}
