package io.github.jcacheredis.event;

import io.github.jcacheredis.concurrent.DaemonThreads;
import io.github.jcacheredis.concurrent.ManagerThreads;
import io.github.jcacheredis.near.NearCachedStore;
import io.github.jcacheredis.store.RedisEntryStore;
import io.github.jcacheredis.store.EventChannels;
import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.KeyLayout;
import io.github.jcacheredis.store.ListenerRegistry;
import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's (CacheManager's) part in cross-instance events and published invalidations. An
 * instance with listeners or a near cache on a cache registers itself in the namespace's registry
 * with a lease, and announces it on the control channel; every other instance then makes its
 * writes to that cache publish, waits until the writes it began before have ended, and confirms.
 * A registration is confirmed once every instance that received the announcement has confirmed,
 * so no write that one of them chose not to publish reaches Redis after that. One that is not
 * confirmed within the wait is announced again at every heartbeat until it is; until then the
 * near cache is not used.
 *
 * <p>A heartbeat renews the leases, reads the registry and refreshes each cache's view of the
 * others from it (never undoing what was announced after the read was sent). An instance that
 * finds its lease had run out (it was paused, or cut off from Redis) registers again as if new.
 * An instance that may have missed announcements (one of its connections dropped, perhaps the one
 * its subscription to the control channel is on) publishes every write, with values, until a
 * probe of its own has come back on that channel and it has read the registry again.
 * There are no locks: a dead instance delays a registration by at most the confirmation wait.
 */
public final class InstanceEvents implements Closeable {

    static final long LEASE_MILLIS = 10_000;
    static final long HEARTBEAT_MILLIS = 3_000;
    /** How often the subscriptions that near caches and EXPIRED listeners rely on are checked. */
    static final long SUBSCRIPTION_CHECK_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(InstanceEvents.class);

    private final EventChannels channels;
    private final ListenerRegistry registry;
    private final Duration ackTimeout;
    private final ManagerThreads threads;
    private final String origin = UUID.randomUUID().toString();
    private final Map<String, CacheEventBridge<?, ?>> bridges = new ConcurrentHashMap<>();
    private final Map<String, Acknowledgements> pending = new ConcurrentHashMap<>();
    private final Map<String, Object> registrationLocks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("jcache-redis-heartbeat"));
    private final ScheduledExecutorService subscriptionChecks =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("jcache-redis-subscriptions"));
    private final ExecutorService tasks = DaemonThreads.pool("jcache-redis-membership");
    private final AutoCloseable connectionDrops;
    private volatile boolean registryUnreadable;
    private volatile boolean closed;
    /** The probe on the control channel whose return ends a doubt about this instance's view of the others, or null. */
    private volatile String controlProbe;

    public InstanceEvents(EventChannels channels, Duration ackTimeout, ManagerThreads threads) {
        this.channels = channels;
        this.registry = channels.registry();
        this.ackTimeout = ackTimeout;
        this.threads = threads;
        channels.listenToControl(this::onControl, () -> runLater(this::caughtUp));
        this.connectionDrops = channels.onConnectionDrop(this::connectionDropped);
        heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        // on a thread of its own: the heartbeat waits on Redis, for timeouts when the network is silent
        subscriptionChecks.scheduleWithFixedDelay(this::checkSubscriptions, SUBSCRIPTION_CHECK_MILLIS,
                SUBSCRIPTION_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void checkSubscriptions() {
        if (!closed) {
            bridges.values().forEach(CacheEventBridge::checkSubscription);
        }
    }

    /** This instance's id, carried by the events its writes publish. */
    public String origin() {
        return origin;
    }

    /**
     * Connects a cache to the cross-instance event path. The registry is read in the background, so
     * that creating a cache waits on nothing; the cache's writes wait for that read (up to the
     * timeout), since only it tells whether anyone listens for EXPIRED and so needs due times. If it
     * fails or is late, they publish everything, as when the instance is in doubt.
     */
    public <K, V> CacheEventBridge<K, V> bridge(RedisEntryStore store, NearCachedStore near,
                                                EventDispatcher<K, V> dispatcher,
                                                Function<EventMessage, EntryEvent<K, V>> decoder) {
        KeyLayout layout = store.layout();
        CacheEventBridge<K, V> bridge = new CacheEventBridge<>(this, layout, store, near, dispatcher, decoder);
        bridges.put(layout.prefix(), bridge);
        bridge.connected();
        runLater(() -> {
            try {
                readRegistryFor(bridge);
            } catch (RuntimeException e) {
                bridge.firstRegistryReadFailed();
                LOG.debug("cannot read the listener registry for {} now; the heartbeat will", layout.prefix(), e);
            }
        });
        return bridge;
    }

    /** Reads the registry now and tells {@code bridge} who else is registered on its cache. */
    void readRegistryFor(CacheEventBridge<?, ?> bridge) {
        long readAt = System.nanoTime();
        bridge.refresh(registry.read(LEASE_MILLIS, true), readAt);
    }

    /** The manager's threads: expiry sweeps and enrolment run on them. */
    ManagerThreads threads() {
        return threads;
    }

    EventChannels channels() {
        return channels;
    }


    void forget(CacheEventBridge<?, ?> bridge) {
        bridges.remove(bridge.prefix(), bridge);
    }

    /**
     * Registers this instance's listeners or near cache ({@code mask}) on a cache, or renews the
     * registration, and announces it: returns whether every instance that received the
     * announcement confirmed it within the wait, and until when the lease lasts.
     */
    Registration register(String prefix, int mask) {
        synchronized (registrationLock(prefix)) {
            return registerNow(prefix, mask);
        }
    }

    private Registration registerNow(String prefix, int mask) {
        long sent = System.nanoTime();
        ListenerRegistry.Lease lease = registry.renew(field(prefix), mask, LEASE_MILLIS);
        String request = UUID.randomUUID().toString();
        Acknowledgements acks = new Acknowledgements();
        pending.put(request, acks);
        try {
            // this instance counts among the receivers when its own subscription is in place: its
            // own announcement coming back stands for its confirmation
            long receivers = channels.publishControl(ControlMessage.listen(request, origin, mask, lease.deadline(), prefix));
            boolean confirmed = acks.await(receivers, ackTimeout);
            if (!confirmed) {
                LOG.warn("{} of {} instances did not confirm the listeners or near cache of {} within {}; it is"
                        + " announced again every {} ms until they do, its near cache is not used meanwhile, and"
                        + " its listeners may miss their writes", receivers - acks.count(), receivers, prefix,
                        ackTimeout, HEARTBEAT_MILLIS);
            }
            return new Registration(confirmed, sent + TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS));
        } finally {
            pending.remove(request);
        }
    }

    /** Renews a registration at its lease's heartbeat; says whether the lease had run out before. */
    Renewal renew(String prefix, int mask) {
        long sent = System.nanoTime();
        ListenerRegistry.Lease lease = registry.renew(field(prefix), mask, LEASE_MILLIS);
        return new Renewal(lease.hadLapsed(), sent + TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS));
    }

    /**
     * Withdraws this instance's registration on the cache of {@code bridge}, unless a cache of the
     * same name, created again while {@code bridge}'s was closing, holds it now: the registration
     * (its registry field and what the others know) is per cache name and instance, and the closing
     * cache's withdrawal would otherwise withdraw the new cache's, whose listeners and near cache
     * the others would then stop publishing to.
     */
    void withdraw(CacheEventBridge<?, ?> bridge) {
        String prefix = bridge.prefix();
        synchronized (registrationLock(prefix)) {
            CacheEventBridge<?, ?> current = bridges.get(prefix);
            if (current != null && current != bridge && current.registers()) {
                return;
            }
            registry.unregister(field(prefix));
            channels.publishControl(ControlMessage.listen("-", origin, 0, 0, prefix));
        }
    }

    /** Serialises the registrations and withdrawals of one cache name (a cache closing while it is created again). */
    private Object registrationLock(String prefix) {
        return registrationLocks.computeIfAbsent(prefix, p -> new Object());
    }

    /**
     * True while this instance may have missed other instances' announcements: its writes then
     * publish whatever it believes, since it cannot know who listens.
     */
    boolean inDoubt() {
        return controlProbe != null;
    }

    /** Publishes a probe on a cache's channel, to learn whether this instance's subscription is in place. */
    void probe(KeyLayout layout, String nonce) {
        channels.probe(layout, origin, nonce);
    }

    /** Runs {@code task} on this instance's task threads (not at all once it closed). */
    void runLater(Runnable task) {
        try {
            tasks.execute(task);
        } catch (RejectedExecutionException closed) {
            LOG.debug("not running a membership task: the instance closed");
        }
    }

    private String field(String prefix) {
        return prefix + "|" + origin;
    }

    private void onControl(String text) {
        ControlMessage message;
        try {
            message = ControlMessage.parse(text);
        } catch (RuntimeException e) {
            LOG.debug("ignoring control message {}", text, e);
            return;
        }
        if (message.isProbe()) {
            if (message.origin().equals(origin) && message.request().equals(controlProbe)) {
                runLater(this::caughtUp);
            }
            return;
        }
        if (message.isAck() || message.origin().equals(origin)) {
            Acknowledgements acks = pending.get(message.request());
            if (acks != null) {
                acks.add();
            }
            return;
        }
        CacheEventBridge<?, ?> bridge = bridges.get(message.prefix());
        CompletableFuture<Void> drained = bridge == null ? CompletableFuture.completedFuture(null)
                : bridge.remoteChanged(message.origin(), message.mask(), message.deadline(),
                        System.nanoTime());
        if (!message.request().equals("-")) {
            // confirmed only once no write chosen before the change can still reach Redis
            drained.copy().orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((done, failure) -> {
                if (failure != null) {
                    LOG.warn("writes to {} still in flight after {}; not confirming the registration of instance {}"
                            + " (it asks again)", message.prefix(), ackTimeout, message.origin());
                    return;
                }
                try {
                    channels.publishControl(ControlMessage.ack(message.request(), origin));
                } catch (RuntimeException e) {
                    LOG.warn("cannot confirm the registration of instance {} on {}", message.origin(), message.prefix(), e);
                }
            }, this::runLater);
        }
    }

    private void connectionDropped() {
        controlProbe = UUID.randomUUID().toString();
        bridges.values().forEach(CacheEventBridge::subscriptionInDoubt); // which also publishes every write now
        runLater(this::probeControl);
    }

    private void probeControl() {
        String nonce = controlProbe;
        if (nonce == null) {
            return;
        }
        try {
            channels.publishControl(ControlMessage.probe(nonce, origin));
        } catch (RuntimeException e) {
            LOG.debug("cannot probe the control channel now", e);
        }
    }

    /**
     * The subscription to the control channel is in place (a probe came back, or Redisson restored
     * it): whatever was announced while it may not have been is in the registry; read it, then trust
     * this instance's view of the others again.
     */
    private void caughtUp() {
        if (controlProbe != null && refreshAll()) {
            controlProbe = null;
            bridges.values().forEach(CacheEventBridge::republish);
        }
    }

    private void beat() {
        if (closed) {
            return;
        }
        bridges.values().forEach(CacheEventBridge::renewLease);
        refreshAll();
        bridges.values().forEach(CacheEventBridge::checkUp);
        if (controlProbe != null) {
            probeControl();
        }
    }

    /** Reads the registry and refreshes every cache's view of the other instances from it; false when it cannot. */
    private boolean refreshAll() {
        try {
            long readAt = System.nanoTime();
            ListenerRegistry.Snapshot snapshot = registry.read(LEASE_MILLIS, false);
            bridges.values().forEach(bridge -> bridge.refresh(snapshot, readAt));
            if (registryUnreadable) {
                registryUnreadable = false;
                LOG.info("the listener registry can be read again");
            }
            return true;
        } catch (RuntimeException e) {
            // once per outage: the heartbeat keeps trying every few seconds
            if (!registryUnreadable && !closed) {
                registryUnreadable = true;
                LOG.warn("cannot read the listener registry ({}); retrying every {} ms", e.getMessage(),
                        HEARTBEAT_MILLIS);
            }
            LOG.debug("reading the listener registry failed", e);
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        heartbeat.shutdown(); // a heartbeat that is running ends by itself, and says nothing once closed
        subscriptionChecks.shutdown();
        bridges.values().forEach(CacheEventBridge::close);
        try {
            connectionDrops.close();
        } catch (Exception e) {
            LOG.debug("cannot stop following connections", e);
        }
        channels.close();
        tasks.shutdown();
    }

    /** The outcome of a registration: confirmed by every instance that received it, and its lease. */
    record Registration(boolean confirmed, long leaseUntil) {
    }

    /** The outcome of a renewal: whether the lease had run out, and until when it lasts now. */
    record Renewal(boolean lapsed, long leaseUntil) {
    }
}
