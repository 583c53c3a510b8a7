package io.github.jcacheredis.event;

import io.github.jcacheredis.store.EventChannels;
import io.github.jcacheredis.store.ExpiryIndex;
import io.github.jcacheredis.store.KeyLayout;
import io.github.jcacheredis.store.ListenerRegistry;
import io.github.jcacheredis.store.Publication;
import io.github.jcacheredis.store.RedisEntryStore;
import io.github.jcacheredis.store.WriteTickets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * What one cache's writes publish on its channel, decided from this instance's registrations and
 * what it knows of the other instances' (their announcements and the registry): nothing while
 * nobody else listens or keeps a near cache that follows publications; the keys, or the values
 * too when someone listens; and, while any instance listens for EXPIRED events, shadow copies and
 * due times. An instance in doubt about the others publishes everything. Decisions are serialised
 * so that an older view of the others never replaces a newer one.
 */
final class WritePublication {

    private final InstanceEvents instance;
    private final KeyLayout layout;
    private final RedisEntryStore store;
    private final WriteTickets tickets;
    /** This instance's registration mask on the cache ({@link CacheEventBridge}'s bits). */
    private final IntSupplier localMask;
    private final BooleanSupplier closed;
    private final RemoteRegistrations remotes = new RemoteRegistrations();
    /** False until the registry was first read: until then, writes publish everything. */
    private volatile boolean registryRead;
    /**
     * When the cache was connected ({@link System#nanoTime()}), so that heartbeats refresh it: a
     * registry read sent before says nothing of it.
     */
    private volatile long connectedAt = System.nanoTime();
    /** Completes once the registry has been read for this cache, or cannot be now: writes wait for it. */
    private final CompletableFuture<Void> firstRead = new CompletableFuture<>();

    WritePublication(InstanceEvents instance, KeyLayout layout, RedisEntryStore store, WriteTickets tickets,
                     IntSupplier localMask, BooleanSupplier closed) {
        this.instance = instance;
        this.layout = layout;
        this.store = store;
        this.tickets = tickets;
        this.localMask = localMask;
        this.closed = closed;
        store.holdWritesUntil(firstRead);
    }

    /** The cache is now among those the heartbeat refreshes: only registry reads sent from now on count. */
    void connected() {
        connectedAt = System.nanoTime();
    }

    /**
     * The first read of the registry failed (or the cache closed): writes stop waiting for it and
     * publish everything until a later read succeeds.
     */
    void firstReadFailed() {
        firstRead.complete(null);
    }

    /** Whether the registry has been read since the cache was connected. */
    boolean registryRead() {
        return registryRead;
    }

    /**
     * True when another instance is known to listen for EXPIRED events: one the registry (or an
     * announcement since it was read) holds, not one kept only until its lease ends, which may have
     * withdrawn unheard.
     */
    boolean othersTrackExpiry() {
        return remotes.listedMasks().stream().anyMatch(mask -> (mask & CacheEventBridge.EXPIRED_BIT) != 0);
    }

    /**
     * Another instance registered ({@code mask} != 0, leased until {@code deadline} on the server's
     * clock) or withdrew; completes once earlier writes have ended.
     */
    synchronized CompletableFuture<Void> remoteChanged(String origin, int mask, long deadline, long at) {
        remotes.announced(origin, mask, deadline, at);
        return update();
    }

    /** Applies a registry snapshot whose read was sent at {@code readAt} ({@link System#nanoTime()}). */
    void refresh(ListenerRegistry.Snapshot snapshot, long readAt) {
        String ownPrefix = layout.prefix() + "|";
        Map<String, RemoteRegistrations.Lease> live = new HashMap<>();
        snapshot.registrations().forEach((field, value) -> {
            if (field.startsWith(ownPrefix)) {
                String origin = field.substring(ownPrefix.length());
                int mask = ControlMessage.maskOf(value);
                long deadline = ControlMessage.deadlineOf(value);
                if (!origin.equals(instance.origin()) && deadline > snapshot.now() && mask != 0) {
                    live.put(origin, new RemoteRegistrations.Lease(mask, deadline));
                }
            }
        });
        synchronized (this) {
            remotes.refresh(live, snapshot.now(), readAt);
            // a heartbeat's read sent before the cache was connected may miss a registration the
            // instance confirmed before it had the cache: only a read sent since tells who listens
            if (readAt - connectedAt >= 0) {
                registryRead = true;
            }
            update();
        }
        if (registryRead) {
            firstRead.complete(null);
        }
    }

    /** Decides again; the result completes once every write that began before has ended. */
    synchronized CompletableFuture<Void> update() {
        int mask = localMask.getAsInt();
        List<Integer> others = remotes.masks();
        boolean tracking = (mask & CacheEventBridge.EXPIRED_BIT) != 0
                || others.stream().anyMatch(other -> (other & CacheEventBridge.EXPIRED_BIT) != 0);
        // with listeners here, this instance's own events come back through the channel, in order
        boolean listensHere = (mask & CacheEventBridge.LISTENER_BITS) != 0;
        // an instance that may have missed announcements, or has not read the registry yet, cannot
        // know who listens: it publishes to whoever may, and keeps due times for whoever may track
        // expiry (a remove or update that left a copy behind would be reported as expired)
        boolean inDoubt = instance.inDoubt() || !registryRead;
        boolean publishing = tracking || listensHere || inDoubt || !others.isEmpty();
        // values travel only when someone listens; local tiers elsewhere only need the keys
        boolean withValues = tracking || listensHere || inDoubt
                || others.stream().anyMatch(other -> (other & CacheEventBridge.LISTENER_BITS) != 0);
        return store.publishTo(!publishing || closed.getAsBoolean() ? Publication.NONE
                : new Publication(EventChannels.eventChannel(layout), instance.origin(), withValues,
                        tracking || inDoubt ? ExpiryIndex.SHADOW_GRACE_MILLIS : 0,
                        listensHere ? tickets : WriteTickets.NONE));
    }
}
