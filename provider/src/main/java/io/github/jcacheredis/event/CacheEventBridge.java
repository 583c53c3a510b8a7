package io.github.jcacheredis.event;

import io.github.jcacheredis.near.NearCachedStore;
import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.KeyLayout;
import io.github.jcacheredis.store.ListenerRegistry;
import io.github.jcacheredis.store.Publication;
import io.github.jcacheredis.store.RedisEntryStore;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one cache to the other instances: registers this instance's listeners and near cache
 * (announced, confirmed by the others, leased and renewed) and follows its subscription to the
 * cache's channel. What writes publish is decided by {@link WritePublication}; what arrives on
 * the channel is handled by {@link InboundEvents}; a near cache that follows publications is used
 * only while it can be trusted ({@link NearCacheTrust}); while any instance listens for EXPIRED
 * events, one instance sweeps what is due ({@link ExpiryReporting}).
 */
public final class CacheEventBridge<K, V> implements SharedEvents {


    static final int EXPIRED_BIT = 1 << EventType.EXPIRED.ordinal();
    /** Set in a registration when the instance keeps a local tier that writes must invalidate. */
    static final int NEAR_CACHE_BIT = 1 << EventType.values().length;
    static final int LISTENER_BITS = NEAR_CACHE_BIT - 1;

    private static final Logger LOG = LoggerFactory.getLogger(CacheEventBridge.class);

    private final InstanceEvents instance;
    private final KeyLayout layout;
    private final RedisEntryStore store;
    /** The cache's near cache, or null for none. */
    private final NearCachedStore near;
    private final EventDispatcher<K, V> dispatcher;
    private final WritePublication publication;
    private final InboundEvents<K, V> inbound;
    private final NearCacheTrust trust;
    private final SubscriptionProbe subscription;
    private AutoCloseable eventSubscription;
    private final ExpiryReporting expiry;
    private volatile int localMask;
    private volatile boolean confirmed;
    private volatile boolean closed;

    CacheEventBridge(InstanceEvents instance, KeyLayout layout, RedisEntryStore store, NearCachedStore near,
                     EventDispatcher<K, V> dispatcher, Function<EventMessage, EntryEvent<K, V>> decoder) {
        this.instance = instance;
        this.layout = layout;
        this.store = store;
        this.near = near;
        this.dispatcher = dispatcher;
        this.trust = new NearCacheTrust(nearCacheFollowsPublications() ? near.nearCache()::trustUntil
                : deadline -> { });
        this.expiry = new ExpiryReporting(store.expiryIndex(), instance.origin(), layout.prefix(), instance.threads());
        this.subscription = new SubscriptionProbe(instance, layout, this::subscribed);
        this.publication = new WritePublication(instance, layout, store, dispatcher.tickets(), () -> localMask,
                () -> closed);
        this.inbound = new InboundEvents<>(instance.origin(), layout.prefix(), near == null ? null : near.nearCache(),
                dispatcher, decoder, subscription, () -> localMask);
        // the registry has not been read yet: until it has, writes publish everything, for whoever may
        // listen or keep a near cache elsewhere (the store starts publishing nothing)
        publication.update();
    }

    String prefix() {
        return layout.prefix();
    }

    /** True while this cache has listeners or a near cache registered (or registering) with the others. */
    boolean registers() {
        return localMask != 0;
    }

    /**
     * True when the cache's local tier learns of other instances' writes from what they publish
     * (not from Redis itself: tracking is unavailable or not wanted).
     */
    private boolean nearCacheFollowsPublications() {
        return near != null && near.followsPublications();
    }

    /**
     * Follows the listeners registered on this instance. Throws, having changed nothing, when it
     * cannot subscribe to the cache's events or read who else tracks expiry (Redis unreachable).
     */
    @Override
    public synchronized void localListenersChanged() {
        int mask = dispatcher.typeMask() | (nearCacheFollowsPublications() ? NEAR_CACHE_BIT : 0);
        if (closed || mask == localMask) {
            return;
        }
        boolean expiryBefore = (localMask & EXPIRED_BIT) != 0;
        boolean expiryNow = (mask & EXPIRED_BIT) != 0;
        boolean subscribing = mask != 0 && eventSubscription == null;
        if (subscribing) {
            eventSubscription = instance.channels().listenToEvents(layout, inbound::onEvent,
                    e -> LOG.warn("ignoring a malformed event message for {}", layout.prefix(), e),
                    this::resubscribed);
        }
        if (expiryNow && !expiryBefore && !publication.registryRead()) {
            try {
                instance.readRegistryFor(this); // who else tracks expiry decides what follows
            } catch (RuntimeException e) {
                // nothing changed: the caller undoes the registration that asked for this
                if (subscribing) {
                    closeQuietly(eventSubscription);
                    eventSubscription = null;
                }
                throw e;
            }
        }
        if (expiryNow && !expiryBefore && !publication.othersTrackExpiry()) {
            // nobody tracks expiry now: what an earlier tracking period left may be stale (entries
            // removed or changed meanwhile kept no shadows); delete it before any write tracks again
            expiry.startAfresh();
        }
        if (!expiryNow && expiryBefore) {
            expiry.stop();
        }
        if (mask == 0) {
            closeQuietly(eventSubscription);
            eventSubscription = null;
        }
        localMask = mask;
        publication.update();
        if (mask == 0) {
            withdraw();
        } else {
            register();
        }
        if (expiryNow && !expiryBefore) {
            // sweeps report due entries; entries written before anyone tracked expiry are enrolled
            expiry.start();
        }
    }

    /** Registers (again) and waits for the others' confirmation; caller holds this bridge's lock. */
    private void register() {
        try {
            InstanceEvents.Registration registration = instance.register(layout.prefix(), localMask);
            confirmed = registration.confirmed();
            if (confirmed) {
                trust.confirmed(registration.leaseUntil());
            }
        } catch (RuntimeException e) {
            confirmed = false;
            LOG.warn("cannot announce the listeners or near cache of {} to other instances now ({}); trying again"
                    + " within {} ms", layout.prefix(), e.getMessage(), InstanceEvents.HEARTBEAT_MILLIS);
        }
    }

    private void withdraw() {
        confirmed = false;
        trust.unconfirmed();
        try {
            instance.withdraw(this);
        } catch (RuntimeException e) {
            LOG.debug("withdrawing the listeners of {} failed; their lease runs out", layout.prefix(), e);
        }
    }

    /**
     * Renews this instance's registration (heartbeat). If its lease had run out (the instance was
     * paused, or cut off from Redis, for longer), the others may have stopped publishing to it: its
     * near cache is emptied and not used, and it registers again as if new.
     */
    synchronized void renewLease() {
        if (closed || localMask == 0) {
            return;
        }
        try {
            InstanceEvents.Renewal renewal = instance.renew(layout.prefix(), localMask);
            if (!renewal.lapsed()) {
                trust.renewed(renewal.leaseUntil());
                return;
            }
            confirmed = false;
            trust.unconfirmed();
            LOG.warn("the registration of this instance on {} lapsed: it was paused or cut off from Redis for longer"
                    + " than its {} ms lease, and other instances may have stopped publishing their writes to it; {}"
                    + " registering again", layout.prefix(), InstanceEvents.LEASE_MILLIS, consequences());
        } catch (RuntimeException e) {
            // the registry heartbeat reports the outage; the near cache stops being used when the lease runs out
            LOG.debug("cannot renew the registration of {}", layout.prefix(), e);
        }
    }

    private String consequences() {
        String near = (localMask & NEAR_CACHE_BIT) != 0 ? "its near cache is emptied and not used until the others"
                + " confirm again;" : "";
        String listeners = (localMask & LISTENER_BITS) != 0 ? " its listeners may have missed events;" : "";
        return near + listeners;
    }

    /**
     * Heartbeat: delivers this instance's own events that did not come back in time, and announces
     * an unconfirmed registration again, on the instance's task threads. (A subscription in doubt is
     * probed again by {@link #checkSubscription}, every second.)
     */
    void checkUp() {
        if (closed || localMask == 0) {
            return;
        }
        dispatcher.deliverOverdueOwnEvents();
        if (!confirmed) {
            instance.runLater(this::reconfirm);
        }
    }

    /**
     * Every second: checks that the subscription to the cache's channel still delivers, where a
     * lost one means missed invalidations or expiry reports ({@link SubscriptionProbe#silent}); one
     * that fell silent is in doubt as after a dropped connection.
     */
    void checkSubscription() {
        if (!closed && (localMask & (NEAR_CACHE_BIT | EXPIRED_BIT)) != 0 && subscription.silent()) {
            LOG.info("no probe came back through the subscription of this instance to {} within {} ms: its near"
                    + " cache is not used, and it sweeps no expiries, until one does", layout.prefix(),
                    SubscriptionProbe.MAX_SILENCE_MILLIS);
            expiry.holdSweeps();
            subscription.inDoubt();
        }
    }

    private synchronized void reconfirm() {
        if (!closed && localMask != 0 && !confirmed) {
            register();
        }
    }

    /** Another instance registered ({@code mask} != 0) or withdrew; completes once earlier writes have ended. */
    CompletableFuture<Void> remoteChanged(String origin, int mask, long deadline, long at) {
        return publication.remoteChanged(origin, mask, deadline, at);
    }

    /** Applies a registry snapshot whose read was sent at {@code readAt} ({@link System#nanoTime()}). */
    void refresh(ListenerRegistry.Snapshot snapshot, long readAt) {
        publication.refresh(snapshot, readAt);
    }

    /** The cache is now among those the heartbeat refreshes and announcements reach. */
    void connected() {
        publication.connected();
    }

    /** The cache's first read of the registry failed: its writes go on, publishing everything, without it. */
    void firstRegistryReadFailed() {
        publication.firstReadFailed();
    }

    /** Decides again what writes publish (the instance's doubt about its view of the others began or ended). */
    void republish() {
        publication.update();
    }

    /**
     * A connection of this instance dropped. Writes publish everything while the instance is in
     * doubt about the others ({@link InstanceEvents#inDoubt}). If the connection carried the
     * subscription to the cache's channel, invalidations and expiry reports are being missed until
     * Redisson subscribes again, so the near cache is not used and sweeps wait until a probe comes
     * back through the subscription, or the subscription is restored.
     */
    void subscriptionInDoubt() {
        publication.update(); // the instance is in doubt about the others now: publish every write
        if (closed || (localMask & (NEAR_CACHE_BIT | EXPIRED_BIT)) == 0) {
            return;
        }
        expiry.holdSweeps(); // what the sweeps published now might not reach this instance's listeners
        subscription.inDoubt();
    }

    /**
     * Redisson subscribed again after the connection was lost: whatever was published meanwhile was
     * missed (pub/sub keeps nothing for a subscriber that is away), which listeners must be told of.
     */
    private void resubscribed() {
        inbound.forgetAll();
        subscription.restored();
        if (!closed && (localMask & LISTENER_BITS) != 0) {
            LOG.warn("the subscription of this instance to the events of {} was lost and is back: its listeners"
                    + " may have missed events that other instances' writes and expiry sweeps published meanwhile",
                    layout.prefix());
        }
    }

    /** Whether the subscription to the cache's channel is known to be in place. */
    private void subscribed(boolean inPlace) {
        trust.subscribed(inPlace);
        if (inPlace) {
            expiry.resumeSweeps();
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
        if (localMask != 0) {
            localMask = 0;
            withdraw();
        }
        closeQuietly(eventSubscription);
        eventSubscription = null;
        expiry.stop();
        store.publishTo(Publication.NONE);
        publication.firstReadFailed(); // nothing waits for a closed cache's registry read
        instance.forget(this);
    }
}
