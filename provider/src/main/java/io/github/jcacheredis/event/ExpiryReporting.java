package io.github.jcacheredis.event;

import io.github.jcacheredis.concurrent.ManagerThreads;
import io.github.jcacheredis.store.ExpiryIndex;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part in reporting one cache's expired entries while it has EXPIRED listeners:
 * it competes for the cache's sweeper lease and, holding it, sweeps the due entries every
 * {@link ExpiryIndex#SWEEP_MILLIS} ms; and it enrolls the entries written before anyone tracked
 * expiry, on an executor of its own, so that a large enrolment never delays a sweep.
 */
final class ExpiryReporting {

    private static final int WIPE_BATCH = 500;
    /** The longest sweeps wait for a subscription to come back. */
    static final long HOLD_MILLIS = 5_000;
    /** How long enrolment waits before it starts over after a failure. */
    private static final long ENROL_RETRY_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryReporting.class);

    private final ExpiryIndex index;
    private final ManagerThreads threads;
    private final String token;
    private final String cache;
    /** Until when ({@link System#nanoTime()}) sweeps wait for the subscription to come back, while {@link #held}. */
    private volatile long heldUntil;
    private volatile boolean held;
    private ScheduledFuture<?> sweeps;
    private Future<?> enrolment;
    private volatile boolean sweeping;

    ExpiryReporting(ExpiryIndex index, String token, String cache, ManagerThreads threads) {
        this.index = index;
        this.threads = threads;
        this.token = token;
        this.cache = cache;
    }

    /**
     * A connection dropped: the subscription to the cache's channel may be gone, and the events a
     * sweep published now would not reach this instance's listeners. Sweeps wait until it is
     * restored ({@link #resumeSweeps}), at most {@link #HOLD_MILLIS} ms.
     */
    void holdSweeps() {
        heldUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
        held = true;
    }

    /** The subscription is back. */
    void resumeSweeps() {
        held = false;
    }

    /**
     * Deletes what an earlier tracking period left (shadow copies, due times): call it before any
     * write of this instance tracks expiry, and only when no other instance tracks it.
     */
    void startAfresh() {
        try {
            index.wipe(WIPE_BATCH);
        } catch (RuntimeException e) {
            LOG.warn("cannot delete what an earlier tracking of expiry left for {}; an entry removed meanwhile may"
                    + " still be reported as expired", cache, e);
        }
    }

    /** Starts sweeping and enrolling; the instance's registration has been announced. */
    synchronized void start() {
        if (sweeps == null) {
            sweeps = threads.scheduler().scheduleWithFixedDelay(this::sweep, 0, ExpiryIndex.SWEEP_MILLIS,
                    TimeUnit.MILLISECONDS);
            enrolment = threads.enrolment().submit(this::enroll);
        }
    }

    private void sweep() {
        if (held && System.nanoTime() - heldUntil < 0) {
            return;
        }
        try {
            sweeping = index.sweep(token) >= 0;
        } catch (RuntimeException e) {
            LOG.debug("sweeping the due entries of {} failed; retrying in {} ms", cache, ExpiryIndex.SWEEP_MILLIS, e);
        }
    }

    /**
     * Enrols the existing entries; when Redis fails meanwhile, starts over after
     * {@link #ENROL_RETRY_MILLIS} ms (entries already enrolled are enrolled again, which changes
     * nothing) until it completes or expiry tracking stops.
     */
    private void enroll() {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                long enrolled = index.enroll(ExpiryIndex.SHADOW_GRACE_MILLIS);
                LOG.debug("enrolled {} entries of {} for expiry events in {} ms", enrolled, cache,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return;
            } catch (RuntimeException e) {
                if (stopped(e)) {
                    return;
                }
                LOG.warn("enrolling the existing entries of {} for expiry events failed (attempt {}); until it"
                        + " completes, those entries expire unreported; starting over in {} ms", cache, attempt,
                        ENROL_RETRY_MILLIS, e);
            }
            try {
                Thread.sleep(ENROL_RETRY_MILLIS);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    /** True when the enrolment failed because {@link #stop} interrupted it. */
    private static boolean stopped(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    /** Stops sweeping and enrolling (no EXPIRED listener left here); gives the lease to another instance. */
    synchronized void stop() {
        if (sweeps == null) {
            return;
        }
        sweeps.cancel(false);
        enrolment.cancel(true);
        sweeps = null;
        enrolment = null;
        if (sweeping) {
            sweeping = false;
            try {
                index.releaseSweeper(token);
            } catch (RuntimeException e) {
                LOG.debug("releasing the sweeper lease of {} failed; it runs out by itself", cache, e);
            }
        }
    }
}
