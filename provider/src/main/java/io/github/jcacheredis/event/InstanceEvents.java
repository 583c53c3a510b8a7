package io.github.jcacheredis.event;

import io.github.jcacheredis.concurrent.DaemonThreads;
import io.github.jcacheredis.store.EntryStore;
import io.github.jcacheredis.store.EventChannels;
import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.KeyLayout;
import io.github.jcacheredis.store.KeyspaceNotifications;
import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's (CacheManager's) part in cross-instance events. An instance with listeners on a
 * cache registers itself in the namespace's registry with a lease and announces it on the control
 * channel; every other instance then makes its writes to that cache publish their events, and
 * confirms. Registration returns once every instance subscribed to the control channel confirmed
 * (or a bounded wait passed), so a write that starts after it is seen. Leases are renewed by a
 * heartbeat; an instance that dies stops being published to when its lease runs out. There are no
 * locks: a dead instance can delay nobody for longer than the acknowledgement wait.
 */
public final class InstanceEvents implements Closeable {

    static final long LEASE_MILLIS = 30_000;
    static final long HEARTBEAT_MILLIS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(InstanceEvents.class);

    private final EventChannels channels;
    private final KeyspaceNotifications keyspace;
    private final Duration ackTimeout;
    private final String origin = UUID.randomUUID().toString();
    private final Map<String, CacheEventBridge<?, ?>> bridges = new ConcurrentHashMap<>();
    private final Map<String, Acknowledgements> pending = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> heartbeat;

    public InstanceEvents(EventChannels channels, KeyspaceNotifications keyspace, Duration ackTimeout) {
        this.channels = channels;
        this.keyspace = keyspace;
        this.ackTimeout = ackTimeout;
        channels.listenToControl(this::onControl);
        this.heartbeat = DaemonThreads.SCHEDULER.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** This instance's id, carried by the events its writes publish. */
    public String origin() {
        return origin;
    }

    /** Connects a cache to the cross-instance event path. */
    public <K, V> CacheEventBridge<K, V> bridge(KeyLayout layout, EntryStore store, EventDispatcher<K, V> dispatcher,
                                                Function<EventMessage, EntryEvent<K, V>> decoder) {
        CacheEventBridge<K, V> bridge = new CacheEventBridge<>(this, layout, store, dispatcher, decoder);
        bridges.put(layout.prefix(), bridge);
        bridge.refresh(channels.registrations(), System.currentTimeMillis());
        return bridge;
    }

    EventChannels channels() {
        return channels;
    }

    KeyspaceNotifications keyspace() {
        return keyspace;
    }

    void forget(CacheEventBridge<?, ?> bridge) {
        bridges.remove(bridge.prefix(), bridge);
    }

    /** Registers (mask != 0) or withdraws (mask 0) this instance's listeners on a cache. */
    void announce(String prefix, int mask) {
        String field = prefix + "|" + origin;
        if (mask == 0) {
            channels.unregister(field);
            channels.publishControl(ControlMessage.listen("-", origin, 0, 0, prefix));
            return;
        }
        long deadline = System.currentTimeMillis() + LEASE_MILLIS;
        channels.register(field, mask + "|" + deadline);
        String request = UUID.randomUUID().toString();
        Acknowledgements acks = new Acknowledgements();
        pending.put(request, acks);
        try {
            long receivers = channels.publishControl(ControlMessage.listen(request, origin, mask, deadline, prefix));
            long others = receivers - 1;
            if (others > 0 && !acks.await(others, ackTimeout)) {
                LOG.warn("{} of {} other instances did not confirm the listener on {} within {}; they will pick it"
                        + " up from the registry within {} ms", others - acks.count(), others, prefix, ackTimeout,
                        HEARTBEAT_MILLIS);
            }
        } finally {
            pending.remove(request);
        }
    }

    private void onControl(String text) {
        ControlMessage message;
        try {
            message = ControlMessage.parse(text);
        } catch (RuntimeException e) {
            LOG.debug("ignoring control message {}", text, e);
            return;
        }
        if (message.origin().equals(origin)) {
            return;
        }
        if (message.isAck()) {
            Acknowledgements acks = pending.get(message.request());
            if (acks != null) {
                acks.add();
            }
            return;
        }
        CacheEventBridge<?, ?> bridge = bridges.get(message.prefix());
        if (bridge != null) {
            bridge.remoteChanged(message.origin(), message.mask(), message.deadline());
        }
        if (!message.request().equals("-")) {
            channels.publishControl(ControlMessage.ack(message.request(), origin));
        }
    }

    private void heartbeat() {
        try {
            long now = System.currentTimeMillis();
            for (CacheEventBridge<?, ?> bridge : bridges.values()) {
                int mask = bridge.localMask();
                if (mask != 0) {
                    channels.register(bridge.prefix() + "|" + origin, mask + "|" + (now + LEASE_MILLIS));
                }
            }
            Map<String, String> registrations = channels.registrations();
            for (CacheEventBridge<?, ?> bridge : bridges.values()) {
                bridge.refresh(registrations, now);
            }
            registrations.forEach((field, value) -> {
                if (ControlMessage.deadlineOf(value) < now - LEASE_MILLIS) {
                    channels.unregister(field); // an instance that died long ago
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("listener registry heartbeat failed; retrying in {} ms", HEARTBEAT_MILLIS, e);
        }
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        bridges.values().forEach(CacheEventBridge::close);
        channels.close();
    }

    /** Counts the confirmations of one announcement. */
    private static final class Acknowledgements {
        private int count;

        synchronized void add() {
            count++;
            notifyAll();
        }

        synchronized int count() {
            return count;
        }

        synchronized boolean await(long expected, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < expected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
