package io.github.jcacheredis.event;

import io.github.jcacheredis.store.EntryStore;
import io.github.jcacheredis.store.EventChannels;
import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.KeyLayout;
import io.github.jcacheredis.store.Publication;
import io.github.jcacheredis.store.WriteTickets;
import java.io.Closeable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one cache to the other instances. While another instance listens, this instance's
 * writes publish their events; while this instance listens, the events the others publish reach
 * the local listeners, in order, without this instance's own. While any instance listens for
 * EXPIRED events, writes keep a shadow copy of each value that outlives the entry by
 * {@link #SHADOW_GRACE_MILLIS}, and the instances that listen for expiry watch Redis' expired
 * notifications: the first to take the shadow copy publishes the event, once, with the value.
 */
public final class CacheEventBridge<K, V> implements Closeable {

    /** How long a shadow copy outlives its entry: the time allowed to report its expiry. */
    public static final long SHADOW_GRACE_MILLIS = 60_000;

    static final int EXPIRED_BIT = 1 << EventType.EXPIRED.ordinal();
    /** Set in a registration when the instance keeps a local tier that writes must invalidate. */
    static final int NEAR_CACHE_BIT = 1 << EventType.values().length;
    private static final int LISTENER_BITS = NEAR_CACHE_BIT - 1;

    private static final Logger LOG = LoggerFactory.getLogger(CacheEventBridge.class);

    private final InstanceEvents instance;
    private final KeyLayout layout;
    private final EntryStore store;
    private final EventDispatcher<K, V> dispatcher;
    private final Function<EventMessage, EntryEvent<K, V>> decoder;
    private final SerialExecutor inbound = new SerialExecutor(EventDispatcher.ASYNC);
    private final SerialExecutor expiries = new SerialExecutor(EventDispatcher.ASYNC);
    private final Map<String, Integer> remoteMasks = new ConcurrentHashMap<>();
    private AutoCloseable eventSubscription;
    private AutoCloseable expirySubscription;
    private volatile int localMask;
    private volatile boolean closed;

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
        int mask = dispatcher.typeMask() | (store.nearNeedsPublication() ? NEAR_CACHE_BIT : 0);
        if (closed || mask == localMask) {
            return;
        }
        boolean expiryBefore = (localMask & EXPIRED_BIT) != 0;
        boolean expiryNow = (mask & EXPIRED_BIT) != 0;
        if (mask != 0 && eventSubscription == null) {
            eventSubscription = instance.channels().listenToEvents(layout, this::onEvent,
                    e -> LOG.warn("ignoring a malformed event message for {}", layout.prefix(), e),
                    store::nearInvalidateAll);
        }
        if (expiryNow && !expiryBefore) {
            instance.keyspace().enableExpiredEvents();
            expirySubscription = instance.keyspace().listen(layout, this::onExpired);
        }
        if (!expiryNow && expiryBefore) {
            closeQuietly(expirySubscription);
            expirySubscription = null;
        }
        if (mask == 0) {
            closeQuietly(eventSubscription);
            eventSubscription = null;
        }
        localMask = mask;
        updatePublication();
        try {
            instance.announce(layout.prefix(), mask);
        } catch (RuntimeException e) {
            LOG.warn("cannot announce the listeners of {} to other instances now ({}); the registry heartbeat"
                    + " will within {} ms", layout.prefix(), e.getMessage(), InstanceEvents.HEARTBEAT_MILLIS);
        }
        if (expiryNow && !expiryBefore) {
            // entries written before anyone tracked expiry get their shadow copies now
            expiries.execute(this::enrollExisting);
        }
    }

    void remoteChanged(String origin, int mask, long deadline) {
        if (mask == 0) {
            remoteMasks.remove(origin);
        } else {
            remoteMasks.put(origin, mask);
        }
        updatePublication();
    }

    /** Rebuilds the set of other instances listening from the registry. */
    void refresh(Map<String, String> registrations, long now) {
        String ownPrefix = layout.prefix() + "|";
        Map<String, Integer> current = new ConcurrentHashMap<>();
        registrations.forEach((field, value) -> {
            if (field.startsWith(ownPrefix)) {
                String origin = field.substring(ownPrefix.length());
                int mask = ControlMessage.maskOf(value);
                if (!origin.equals(instance.origin()) && ControlMessage.deadlineOf(value) > now && mask != 0) {
                    current.put(origin, mask);
                }
            }
        });
        remoteMasks.keySet().retainAll(current.keySet());
        remoteMasks.putAll(current);
        updatePublication();
    }

    private void updatePublication() {
        boolean tracking = (localMask & EXPIRED_BIT) != 0
                || remoteMasks.values().stream().anyMatch(mask -> (mask & EXPIRED_BIT) != 0);
        // with listeners here, this instance's own events come back through the channel, in order
        boolean listensHere = (localMask & LISTENER_BITS) != 0;
        boolean publishing = tracking || listensHere || !remoteMasks.isEmpty();
        // values travel only when someone listens; local tiers elsewhere only need the keys
        boolean withValues = tracking || listensHere
                || remoteMasks.values().stream().anyMatch(mask -> (mask & LISTENER_BITS) != 0);
        store.publishTo(!publishing || closed ? Publication.NONE
                : new Publication(EventChannels.eventChannel(layout), instance.origin(), withValues,
                        tracking ? SHADOW_GRACE_MILLIS : 0, listensHere ? dispatcher.tickets() : WriteTickets.NONE));
    }

    private void onEvent(EventMessage message) {
        if (message.originInstance().equals(instance.origin())) {
            if (message.writeId() != 0 && (localMask & LISTENER_BITS) != 0) {
                inbound.execute(() -> dispatcher.dispatchOwn(message, decoder));
            }
            return;
        }
        // the local tier first, and on this thread: the sooner it forgets, the shorter a stale read
        if (message.kind() == EventMessage.CLEARED) {
            store.nearInvalidateAll();
            return;
        }
        store.nearInvalidate(message.keySegment());
        if ((localMask & LISTENER_BITS) == 0) {
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

    private void onExpired(String entryKey) {
        expiries.execute(() -> {
            if (closed) {
                return;
            }
            try {
                store.reportExpired(layout.keySegment(entryKey));
            } catch (RuntimeException e) {
                LOG.warn("cannot report the expiry of {}", entryKey, e);
            }
        });
    }

    private void enrollExisting() {
        try {
            store.enrollForExpiryEvents(SHADOW_GRACE_MILLIS, 500);
        } catch (RuntimeException e) {
            LOG.warn("cannot prepare the existing entries of {} for expiry events", layout.prefix(), e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("unsubscribing failed", e);
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
        closeQuietly(eventSubscription);
        closeQuietly(expirySubscription);
        eventSubscription = null;
        expirySubscription = null;
        store.publishTo(Publication.NONE);
        instance.forget(this);
    }
}
