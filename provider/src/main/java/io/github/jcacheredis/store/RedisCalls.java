package io.github.jcacheredis.store;

import io.github.jcacheredis.config.FailureMode;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisTimeoutException;

/**
 * Runs one cache's Redis calls and decides what their failures mean. A failure that means Redis is
 * unreachable marks the manager's {@link RedisHealth} down; while it is down, calls do not reach
 * Redis: they fail at once, or in degrade mode return what an empty cache would (reads) or skip
 * the write and record its keys (writes). Every other failure is a {@link CacheException} that
 * names the cache. A call that found no free connection in the client's pool was not sent, so it
 * is sent again, reads and writes alike, until it has waited for one as long as it would for a
 * reply (the client's {@code timeout}; Redisson alone gives up after one retry delay per attempt);
 * then it fails alone: the client is busier than its pool allows, and Redis is not taken to be
 * down for it.
 *
 * <p>Reads may be resent by Redisson. Writes are sent through objects that Redisson never resends
 * (see {@link StoreContext}); this class sends a write again only when its failure proves that it
 * did not run ({@link Failures#NOT_RUN}). A write whose reply never came may have run: the call
 * throws a CacheException saying that its outcome is unknown, rather than guess.
 */
final class RedisCalls {

    /**
     * How often a write that provably did not run for want of a connection (none free in the pool,
     * or none to be had) is sent again, and how long apart.
     */
    static final int WRITE_RETRIES = 1;
    static final long RETRY_DELAY_MILLIS = 100;
    /** The pause before a call that found no free connection asks for one again. */
    static final long POOL_RETRY_PAUSE_MILLIS = 5;
    /** The longest pause between two attempts while the cluster's layout changes. */
    static final long MAX_RETRY_DELAY_MILLIS = 400;

    private final String cacheName;
    private final KeyLayout layout;
    private final RedisHealth health;
    private final long settleMillis;
    private final long poolWaitMillis;

    /**
     * Calls for a cache's entries. {@code settleMillis} is how long a call keeps trying while the
     * cluster's layout changes (a failover, slots moving) before it fails; {@code poolWaitMillis}
     * how long it keeps trying while the client's pool has no free connection.
     */
    RedisCalls(String cacheName, KeyLayout layout, RedisHealth health, long settleMillis, long poolWaitMillis) {
        this.cacheName = cacheName;
        this.layout = layout;
        this.health = health;
        this.settleMillis = settleMillis;
        this.poolWaitMillis = poolWaitMillis;
    }

    /** Calls that are not about one cache's entries (pub/sub, registry): they always fail loudly. */
    RedisCalls(String what) {
        this(what, null, null, 0, 0);
    }

    /** True while Redis is known to be unreachable (calls then do not wait on it). */
    boolean isDown() {
        return health != null && health.isDown();
    }

    /** A call whose failure is always an exception. */
    <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw failure(operation, Failures.unwrap(e));
        }
    }

    /** A read; degraded, it answers {@code whenDegraded}, as an empty cache would. */
    <T> T read(String operation, Supplier<T> call, T whenDegraded) {
        boolean degrade = degrades();
        if (isDown()) {
            return failFastOr(degrade, whenDegraded);
        }
        return resendable(operation, () -> whileSettling(call), () -> degrade, whenDegraded);
    }

    /**
     * A read that also deletes (an access TTL of zero): it is never resent, and degraded, or when
     * Redis did not answer, it answers {@code whenDegraded} like a read.
     */
    <T> T destructiveRead(String operation, Supplier<T> call, T whenDegraded) {
        boolean degrade = degrades();
        if (isDown()) {
            return failFastOr(degrade, whenDegraded);
        }
        try {
            return sendOnce(operation, call);
        } catch (Unanswered e) {
            if (degrade && !e.answeredByRedis) {
                return whenDegraded;
            }
            throw e.failure;
        }
    }

    /**
     * A write of {@code encodedKeys} whose outcome the caller reports (a result, an event). Degraded,
     * it is skipped and recorded, and answers {@code whenDegraded}. If Redis took it but did not
     * answer, it throws: its outcome is unknown.
     */
    <T> T write(String operation, Collection<String> encodedKeys, Supplier<T> call, T whenDegraded) {
        return write(operation, encodedKeys, call, whenDegraded, false);
    }

    /**
     * A write whose outcome nobody is told (a put with no listener, putAll): degraded, when Redis
     * did not answer it is recorded like a skipped write and answers {@code whenDegraded}, since the
     * entry is removed once Redis is back whatever happened to it.
     */
    <T> T blindWrite(String operation, Collection<String> encodedKeys, Supplier<T> call, T whenDegraded) {
        return write(operation, encodedKeys, call, whenDegraded, true);
    }

    /** {@link #blindWrite} when {@code blind}, else {@link #write(String, Collection, Supplier, Object)}. */
    <T> T write(String operation, Collection<String> encodedKeys, Supplier<T> call, T whenDegraded,
                boolean blind) {
        return write(operation, encodedKeys, encodedKeys, call, whenDegraded, blind);
    }

    /**
     * A write of {@code encodedKeys} of which only {@code skippedKeys} change when a degraded store
     * skips it (the others are conditional writes that find an empty cache and answer
     * {@code whenDegraded}). Every key is recorded when Redis may have taken it without answering,
     * so that its entry is deleted once Redis is back.
     */
    <T> T write(String operation, Collection<String> skippedKeys, Collection<String> encodedKeys, Supplier<T> call,
                T whenDegraded, boolean blind) {
        boolean degrade = degrades();
        if (isDown()) {
            if (!degrade) {
                throw unreachable();
            }
            if (health.skip(layout, skippedKeys)) {
                return whenDegraded;
            }
        }
        try {
            return sendOnce(operation, call);
        } catch (Unanswered e) {
            if (!degrade) {
                throw e.failure;
            }
            if (e.kind == Failures.NOT_RUN) {
                if (health.skip(layout, skippedKeys)) {
                    return whenDegraded;
                }
                throw e.failure;
            }
            if (e.answeredByRedis) {
                // Redis is up and refused the pipeline it went in: no recovery follows to undo it, so
                // it fails as a refusal does, rather than pass for a write skipped while Redis was down
                throw e.failure;
            }
            health.recordUncertain(layout, encodedKeys);
            if (blind) {
                return whenDegraded;
            }
            throw e.failure;
        }
    }

    /**
     * A clear of the whole cache: idempotent, so it may be resent, and it is while the cluster's
     * layout changes or no connection of the pool is free, as a read is; degraded, it is done once
     * Redis is back.
     */
    <T> T clear(String operation, Supplier<T> call, T whenDegraded) {
        boolean degrade = degrades();
        if (isDown()) {
            if (degrade && health.skipClear(layout)) {
                return whenDegraded;
            }
            if (!degrade) {
                throw unreachable();
            }
        }
        return resendable(operation, () -> whileSettling(call), () -> degrade && health.skipClear(layout), whenDegraded);
    }

    /**
     * Runs a call Redisson may resend. When it finds Redis unreachable, the manager's health learns
     * of it, and the call answers {@code whenDegraded} if {@code degraded} says so, else throws.
     */
    private <T> T resendable(String operation, Supplier<T> call, BooleanSupplier degraded, T whenDegraded) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            Throwable cause = Failures.unwrap(e);
            if (health != null && isUnreachable(cause)) {
                health.unavailable(cause);
                if (degraded.getAsBoolean()) {
                    return whenDegraded;
                }
            }
            throw failure(operation, cause);
        }
    }

    /**
     * Sends a command that must not run twice. It is sent again only after a failure proving that
     * it did not run; when Redis did not answer, the manager's health learns of it.
     */
    private <T> T sendOnce(String operation, Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return whileSettling(call);
            } catch (RuntimeException e) {
                Throwable cause = Failures.unwrap(e);
                Failures kind = Failures.of(cause);
                boolean waitedForAConnection = poolWaitMillis > 0 && Failures.isCongested(cause);
                if (kind == Failures.NOT_RUN && attempt < WRITE_RETRIES && !isDown() && !Failures.isTransient(cause)
                        && !waitedForAConnection) {
                    pause(RETRY_DELAY_MILLIS);
                    continue;
                }
                if (kind == Failures.REFUSED || Failures.isBackPressure(cause)) {
                    throw failure(operation, cause); // Redis is up: this call fails alone
                }
                boolean answered = Failures.isAnsweredBatch(cause);
                if (health != null && (kind == Failures.UNKNOWN && !answered || isUnreachable(cause))) {
                    health.unavailable(cause);
                }
                throw new Unanswered(kind, answered, kind == Failures.UNKNOWN ? outcomeUnknown(operation, cause)
                        : failure(operation, cause));
            }
        }
    }

    /**
     * Runs a call, and runs it again while it fails only because it was not sent: the cluster's
     * layout is changing ({@link Failures#isTransient}), until that has lasted {@code settleMillis}
     * (the client learns the new layout within its scan interval); or no connection of the pool
     * became free, or none wrote it in time ({@link Failures#isCongested}), until it has waited
     * {@code poolWaitMillis} or Redis is found unreachable meanwhile (by the calls holding the
     * connections). The client waited for the connection already, so that one is sent again after
     * a short pause only
     * (should a client ever report it without waiting, the loop does not spin).
     */
    private <T> T whileSettling(Supplier<T> call) {
        long deadline = 0; // read from the clock at the first failure only: the common call never does
        boolean settling = false;
        long delay = 10;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                boolean crowded = Failures.isCongested(e);
                // no more waiting for a connection once the calls holding them found Redis unreachable
                if (crowded ? poolWaitMillis <= 0 || isDown() : !Failures.isTransient(e)) {
                    throw e;
                }
                if (!settling) {
                    settling = true;
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(crowded ? poolWaitMillis : settleMillis);
                } else if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                if (crowded) {
                    pause(POOL_RETRY_PAUSE_MILLIS);
                } else {
                    pause(delay);
                    delay = Math.min(delay * 2, MAX_RETRY_DELAY_MILLIS);
                }
            }
        }
    }

    private boolean degrades() {
        return health != null && health.mode() == FailureMode.DEGRADE;
    }

    private <T> T failFastOr(boolean degrade, T whenDegraded) {
        if (degrade) {
            return whenDegraded;
        }
        throw unreachable();
    }

    private CacheException unreachable() {
        return new CacheException("Cache[" + cacheName + "]: Redis is unreachable; failing fast until it is back");
    }

    CacheException failure(String operation, Throwable cause) {
        if (cause instanceof CacheException cacheException) {
            return cacheException;
        }
        if (cause instanceof BatchLane.NoRoom) {
            return new CacheException("Cache[" + cacheName + "]: Redis " + operation + " was not sent: " + cause.getMessage()
                    + "; only this call failed. If it happens under the expected load, raise batch-max (each Redis node"
                    + " takes " + NaturalBatches.ROOM_PER_BATCH_COMMAND + " x batch-max calls at once)", cause);
        }
        if (Failures.isPoolExhausted(cause)) {
            return new CacheException("Cache[" + cacheName + "]: Redis " + operation + " was not sent: the Redis client's"
                    + " connection pool was exhausted (no connection became free in time); only this call failed."
                    + " If it happens under the expected load, raise connectionPoolSize in the Redisson config", cause);
        }
        if (Failures.isCongested(cause)) {
            return new CacheException("Cache[" + cacheName + "]: Redis " + operation + " was not sent: the Redis client's"
                    + " I/O threads did not write it to a connection in time (is the JVM short of CPU?); only this call"
                    + " failed", cause);
        }
        return new CacheException("Cache[" + cacheName + "]: Redis " + operation + " failed: " + cause.getMessage(), cause);
    }

    private CacheException outcomeUnknown(String operation, Throwable cause) {
        return new CacheException("Cache[" + cacheName + "]: the outcome of Redis " + operation + " is unknown: it was"
                + " sent but no reply came (" + cause.getMessage() + "); it may or may not have been applied, and it"
                + " was not sent again", cause);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * True when a failure means Redis could not be reached or did not answer in time, rather than
     * that it refused the command, that the cluster's layout is changing ({@link
     * Failures#isTransient}) or that the client's pool had no free connection ({@link
     * Failures#isBackPressure}). Redisson sometimes reports a refused connection as a plain
     * RedisException with the network error as its cause or suppressed exception.
     */
    static boolean isUnreachable(Throwable failure) {
        if (Failures.isTransient(failure) || Failures.isBackPressure(failure)) {
            return false;
        }
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            if (cause instanceof RedisConnectionException || cause instanceof RedisTimeoutException
                    || cause instanceof RedisReconnectedException || cause instanceof java.io.IOException) {
                return true;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed != cause && isUnreachable(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A command that got no usable answer, with what that means and the exception for the caller. */
    private static final class Unanswered extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient Failures kind;
        /** Redis answered the pipeline the command went in, refusing some of it: it is up. */
        final boolean answeredByRedis;
        final CacheException failure;

        Unanswered(Failures kind, boolean answeredByRedis, CacheException failure) {
            super(failure.getMessage(), null, false, false);
            this.kind = kind;
            this.answeredByRedis = answeredByRedis;
            this.failure = failure;
        }
    }
}
