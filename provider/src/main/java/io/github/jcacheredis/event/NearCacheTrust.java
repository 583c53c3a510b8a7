package io.github.jcacheredis.event;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * When this instance may use its near cache of one cache, kept in step by the invalidations other
 * instances publish: while every instance that received its registration has confirmed it, its
 * subscription to the cache's channel is in place, and its lease has not run out (less a margin,
 * so that it stops before the others could drop it). Outside that, the near cache is neither
 * served nor filled, and it starts empty when trusted again.
 */
final class NearCacheTrust {

    /** How long before its lease runs out this instance stops trusting its near cache. */
    static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongConsumer nearCache;
    private boolean confirmed;
    private boolean subscribed = true;
    private long leaseUntil;

    /**
     * Decides for a near cache that takes the {@link System#nanoTime()} until which it may be used
     * ({@code NearCache::trustUntil}); from now until the first confirmation, it may not.
     */
    NearCacheTrust(LongConsumer nearCache) {
        this.nearCache = nearCache;
        apply();
    }

    /** The others confirmed a registration whose lease lasts until {@code leaseUntil} ({@link System#nanoTime()}). */
    synchronized void confirmed(long leaseUntil) {
        this.confirmed = true;
        this.leaseUntil = leaseUntil;
        apply();
    }

    /** Not all others confirmed the registration, or its lease ran out: they may not be publishing to it. */
    synchronized void unconfirmed() {
        confirmed = false;
        apply();
    }

    /** The lease was renewed, before it ran out, until {@code leaseUntil}. */
    synchronized void renewed(long leaseUntil) {
        this.leaseUntil = leaseUntil;
        apply();
    }

    /** Whether the subscription to the cache's channel is known to be in place. */
    synchronized void subscribed(boolean subscribed) {
        this.subscribed = subscribed;
        apply();
    }

    private void apply() {
        nearCache.accept(confirmed && subscribed ? leaseUntil - MARGIN_NANOS : System.nanoTime() - 1);
    }
}
