package io.github.jcacheredis.event;

import io.github.jcacheredis.near.NearCache;
import io.github.jcacheredis.store.EventMessage;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrives on one cache's channel, for this instance: a probe of its subscription; its own
 * writes' events, delivered to its listeners in the order Redis applied them; and other
 * instances' writes and clears, which first leave the near cache (on the receiving thread: the
 * sooner it forgets, the shorter a stale read) and then reach the listeners, in order.
 */
final class InboundEvents<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(InboundEvents.class);

    private final String origin;
    private final String cache;
    /** The near cache, or null for none. */
    private final NearCache near;
    private final EventDispatcher<K, V> dispatcher;
    private final Function<EventMessage, EntryEvent<K, V>> decoder;
    private final SerialExecutor inbound;
    private final SubscriptionProbe subscription;
    /** This instance's registration mask on the cache ({@link CacheEventBridge}'s bits). */
    private final IntSupplier localMask;

    InboundEvents(String origin, String cache, NearCache near, EventDispatcher<K, V> dispatcher,
                  Function<EventMessage, EntryEvent<K, V>> decoder, SubscriptionProbe subscription,
                  IntSupplier localMask) {
        this.origin = origin;
        this.cache = cache;
        this.near = near;
        this.dispatcher = dispatcher;
        this.decoder = decoder;
        this.inbound = new SerialExecutor(dispatcher.async());
        this.subscription = subscription;
        this.localMask = localMask;
    }

    /** Empties the near cache (a clear, or a subscription that was lost and restored). */
    void forgetAll() {
        if (near != null) {
            near.invalidateAll();
        }
    }

    void onEvent(EventMessage message) {
        if (subscription.cameBack(message)) {
            return;
        }
        boolean listens = (localMask.getAsInt() & CacheEventBridge.LISTENER_BITS) != 0;
        if (message.originInstance().equals(origin)) {
            if (message.writeId() != 0 && listens) {
                inbound.execute(() -> dispatcher.dispatchOwn(message, decoder));
            }
            return;
        }
        if (message.kind() == EventMessage.CLEARED) {
            forgetAll();
            return;
        }
        if (near != null) {
            near.invalidate(message.encodedKey());
        }
        if (!listens) {
            return;
        }
        inbound.execute(() -> {
            EntryEvent<K, V> event;
            try {
                event = decoder.apply(message);
            } catch (RuntimeException e) {
                LOG.warn("cannot decode an event for {} from instance {}", cache, message.origin(), e);
                return;
            }
            if (event != null) {
                dispatcher.dispatchQuietly(event);
            }
        });
    }
}
