package io.github.jcacheredis.event;

import io.github.jcacheredis.store.EntryStore;
import io.github.jcacheredis.store.EventChannels;
import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.KeyLayout;
import io.github.jcacheredis.store.Publication;
import java.io.Closeable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one cache to the other instances: makes this instance's writes publish events while
 * another instance listens, and, while this instance listens, delivers the events the others
 * publish to the local listeners, in order, skipping this instance's own.
 */
public final class CacheEventBridge<K, V> implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheEventBridge.class);

    private final InstanceEvents instance;
    private final KeyLayout layout;
    private final EntryStore store;
    private final EventDispatcher<K, V> dispatcher;
    private final Function<EventMessage, EntryEvent<K, V>> decoder;
    private final SerialExecutor inbound = new SerialExecutor(EventDispatcher.ASYNC);
    private final Map<String, Long> remoteListeners = new ConcurrentHashMap<>();
    private AutoCloseable subscription;
    private volatile int localMask;
    private boolean closed;

    CacheEventBridge(InstanceEvents instance, KeyLayout layout, EntryStore store, EventDispatcher<K, V> dispatcher,
                     Function<EventMessage, EntryEvent<K, V>> decoder) {
        this.instance = instance;
        this.layout = layout;
        this.store = store;
        this.dispatcher = dispatcher;
        this.decoder = decoder;
    }

    String prefix() {
        return layout.prefix();
    }

    int localMask() {
        return localMask;
    }

    /** Called after local listeners were registered or deregistered. */
    public synchronized void localListenersChanged() {
        int mask = dispatcher.typeMask();
        if (closed || mask == localMask) {
            return;
        }
        if (mask != 0 && subscription == null) {
            subscription = instance.channels().listenToEvents(layout, this::onEvent,
                    e -> LOG.warn("ignoring a malformed event message for {}", layout.prefix(), e));
        }
        if (mask == 0) {
            unsubscribe();
        }
        localMask = mask;
        instance.announce(layout.prefix(), mask);
    }

    void remoteChanged(String origin, int mask, long deadline) {
        if (mask == 0) {
            remoteListeners.remove(origin);
        } else {
            remoteListeners.put(origin, deadline);
        }
        updatePublication();
    }

    /** Rebuilds the set of other instances listening from the registry. */
    void refresh(Map<String, String> registrations, long now) {
        String ownPrefix = layout.prefix() + "|";
        Map<String, Long> current = new ConcurrentHashMap<>();
        registrations.forEach((field, value) -> {
            if (field.startsWith(ownPrefix)) {
                String origin = field.substring(ownPrefix.length());
                long deadline = ControlMessage.deadlineOf(value);
                if (!origin.equals(instance.origin()) && deadline > now && ControlMessage.maskOf(value) != 0) {
                    current.put(origin, deadline);
                }
            }
        });
        remoteListeners.keySet().retainAll(current.keySet());
        remoteListeners.putAll(current);
        updatePublication();
    }

    private void updatePublication() {
        store.publishTo(remoteListeners.isEmpty() || closed ? Publication.NONE
                : new Publication(EventChannels.eventChannel(layout), instance.origin(), true));
    }

    private void onEvent(EventMessage message) {
        if (message.origin().equals(instance.origin())) {
            return;
        }
        inbound.execute(() -> {
            EntryEvent<K, V> event;
            try {
                event = decoder.apply(message);
            } catch (RuntimeException e) {
                LOG.warn("cannot decode an event for {} from instance {}", layout.prefix(), message.origin(), e);
                return;
            }
            if (event != null) {
                dispatcher.dispatchQuietly(event);
            }
        });
    }

    private void unsubscribe() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing from {} failed", layout.prefix(), e);
            }
            subscription = null;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (localMask != 0) {
                localMask = 0;
                instance.announce(layout.prefix(), 0);
            }
        } catch (RuntimeException e) {
            LOG.debug("withdrawing the listeners of {} failed", layout.prefix(), e);
        }
        unsubscribe();
        store.publishTo(Publication.NONE);
        instance.forget(this);
    }
}
