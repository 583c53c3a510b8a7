package io.github.jcacheredis.event;

import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.WriteTickets;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
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

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    /** How long a write waits for its own events to come back through Redis before it delivers them itself. */
    static final long ECHO_WAIT_MILLIS = 2_000;

    private final ExecutorService async;
    private final List<ListenerRegistration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private final EventSequencer<K, V> sequencer = new EventSequencer<>(this, ECHO_WAIT_MILLIS);
    private volatile int wantedTypes;
    private volatile boolean synchronousListeners;

    /** @param async the pool asynchronous listeners run on, each in order */
    public EventDispatcher(ExecutorService async) {
        this.async = async;
    }

    /** The pool asynchronous listeners run on. */
    ExecutorService async() {
        return async;
    }

    /** Registers a listener; the same configuration twice is refused. */
    public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
        for (ListenerRegistration<K, V> existing : registrations) {
            if (existing.configuration().equals(configuration)) {
                throw new IllegalArgumentException("this listener configuration is already registered");
            }
        }
        registrations.add(new ListenerRegistration<>(configuration, new SerialExecutor(async)));
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

    /** Numbers this instance's writes while it has listeners, so their events come back in order. */
    public WriteTickets tickets() {
        return sequencer;
    }

    /**
     * Delivers the events a write computed: at once when it published none under a number, else
     * through the channel in Redis' order ({@link EventSequencer}); {@code published} is how many
     * events the write published.
     */
    public void dispatchWritten(long writeId, int published, List<EntryEvent<K, V>> events) {
        if (writeId == 0) {
            dispatch(events);
        } else {
            sequencer.written(writeId, published, events);
        }
    }

    /** Delivers the events of this instance's writes that have not come back through Redis in time. */
    void deliverOverdueOwnEvents() {
        sequencer.deliverOverdue();
    }

    /** Delivers an event of this instance's own write as it came back through Redis. */
    void dispatchOwn(EventMessage message, Function<EventMessage, EntryEvent<K, V>> decoder) {
        sequencer.echoed(message, decoder);
    }

    /** True when some listener is synchronous: a write returns only after it ran. */
    public boolean hasSynchronousListeners() {
        return synchronousListeners;
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
        boolean synchronous = false;
        for (ListenerRegistration<K, V> registration : registrations) {
            synchronous |= registration.isSynchronous();
            for (EventType type : EventType.values()) {
                if (registration.accepts(type)) {
                    mask |= 1 << type.ordinal();
                }
            }
        }
        wantedTypes = mask;
        synchronousListeners = synchronous;
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
