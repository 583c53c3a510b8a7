package io.github.jcacheredis.event;

import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.KeyLayout;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>The client reports a lost connection to a server only once until a connection to it is made
 * again: a subscription lost after another connection to the same server, while none can be made,
 * goes unreported. So while the subscription is trusted, a probe is kept on its way too, and one
 * that has not come back within {@link #MAX_SILENCE_MILLIS} puts the subscription in doubt as a
 * reported drop does ({@link #silent()}).
 */
final class SubscriptionProbe {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionProbe.class);

    private final InstanceEvents instance;
    private final KeyLayout layout;
    /** Told whether the subscription is known to be in place. */
    private final Consumer<Boolean> subscribed;
    private final AtomicLong sent = new AtomicLong();
    /** The probe whose return shows the subscription in place, or null while it is not in doubt. */
    private String awaited;
    /** The probe that shows the trusted subscription still delivers, on its way; null when none is. */
    private Liveness alive;

    /** How long a probe sent while the subscription is trusted may take to come back. */
    static final long MAX_SILENCE_MILLIS = 2_000;

    SubscriptionProbe(InstanceEvents instance, KeyLayout layout, Consumer<Boolean> subscribed) {
        this.instance = instance;
        this.layout = layout;
        this.subscribed = subscribed;
    }

    /**
     * A connection dropped, or the subscription fell silent: it may be gone. Each change of state
     * and its report to {@code subscribed} happen together, so that a probe coming back as a new
     * doubt begins cannot leave the subscription trusted while a probe is awaited.
     */
    void inDoubt() {
        String probe = Long.toString(sent.incrementAndGet());
        synchronized (this) {
            awaited = probe;
            alive = null;
            subscribed.accept(false);
        }
        instance.runLater(() -> send(probe));
    }

    /**
     * While the subscription is trusted: true when the probe on its way has not come back within
     * {@link #MAX_SILENCE_MILLIS} (the caller then puts it in doubt); else sends one when none is
     * on its way, and returns false; while in doubt, sends the awaited probe again (one sent while
     * the subscription was gone is lost). Called every second, on a thread that waits on nothing else.
     */
    boolean silent() {
        String probe;
        synchronized (this) {
            if (awaited != null) {
                probe = awaited; // in doubt already: its own probe ends the doubt
            } else if (alive == null) {
                alive = new Liveness("alive-" + sent.incrementAndGet(), System.nanoTime());
                probe = alive.nonce();
            } else if (System.nanoTime() - alive.sentAt() > TimeUnit.MILLISECONDS.toNanos(MAX_SILENCE_MILLIS)) {
                alive = null;
                return true;
            } else {
                return false; // on its way, within its time
            }
        }
        instance.runLater(() -> send(probe));
        return false;
    }

    /** True when {@code message} was a probe (of whichever instance), which nobody else acts upon. */
    boolean cameBack(EventMessage message) {
        if (message.kind() != EventMessage.PROBE) {
            return false;
        }
        if (!message.origin().equals(instance.origin())) {
            return true;
        }
        String nonce = message.encodedKey();
        synchronized (this) {
            if (nonce.equals(awaited)) {
                awaited = null;
                subscribed.accept(true);
            }
            if (alive != null && nonce.equals(alive.nonce())) {
                alive = null;
            }
        }
        return true;
    }

    /** Redisson subscribed again: the subscription is in place (what was published meanwhile was missed). */
    synchronized void restored() {
        awaited = null;
        alive = null;
        subscribed.accept(true);
    }

    private void send(String nonce) {
        try {
            instance.probe(layout, nonce);
        } catch (RuntimeException e) {
            LOG.debug("cannot probe the subscription of {} now", layout.prefix(), e);
        }
    }

    /** A probe sent while the subscription was trusted, and when ({@link System#nanoTime()}). */
    private record Liveness(String nonce, long sentAt) {
    }
}
