package io.github.jcacheredis.event;

import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.KeyLayout;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether this instance's subscription to one cache's channel is still in place after a
 * connection dropped. Redisson reports a restored subscription, but not a lost one; meanwhile
 * invalidations and expiry reports are lost, so the near cache is not trusted and sweeps wait from
 * the drop until a probe published on the channel comes back through the subscription, or Redisson
 * restores it.
 */
final class SubscriptionProbe {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionProbe.class);

    private final InstanceEvents instance;
    private final KeyLayout layout;
    /** Told whether the subscription is known to be in place. */
    private final Consumer<Boolean> subscribed;
    private final AtomicLong sent = new AtomicLong();
    /** The probe whose return shows the subscription in place, or null while it is not in doubt. */
    private volatile String awaited;

    SubscriptionProbe(InstanceEvents instance, KeyLayout layout, Consumer<Boolean> subscribed) {
        this.instance = instance;
        this.layout = layout;
        this.subscribed = subscribed;
    }

    /** A connection dropped: the subscription may be gone. */
    void inDoubt() {
        awaited = Long.toString(sent.incrementAndGet());
        subscribed.accept(false);
        instance.runLater(this::send);
    }

    /** Sends the probe again while the doubt lasts (a probe sent while the subscription was gone is lost). */
    void resendIfInDoubt() {
        if (awaited != null) {
            instance.runLater(this::send);
        }
    }

    /** True when {@code message} was a probe (of whichever instance), which nobody else acts upon. */
    boolean cameBack(EventMessage message) {
        if (message.kind() != EventMessage.PROBE) {
            return false;
        }
        String nonce = awaited;
        if (message.origin().equals(instance.origin()) && message.encodedKey().equals(nonce)) {
            awaited = null;
            subscribed.accept(true);
        }
        return true;
    }

    /** Redisson subscribed again: the subscription is in place (what was published meanwhile was missed). */
    void restored() {
        awaited = null;
        subscribed.accept(true);
    }

    private void send() {
        String nonce = awaited;
        if (nonce == null) {
            return;
        }
        try {
            instance.probe(layout, nonce);
        } catch (RuntimeException e) {
            LOG.debug("cannot probe the subscription of {} now", layout.prefix(), e);
        }
    }
}
