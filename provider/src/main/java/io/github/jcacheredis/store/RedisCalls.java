package io.github.jcacheredis.store;

import io.github.jcacheredis.config.FailureMode;
import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;

/**
 * Runs one cache's Redis calls and decides what their failures mean. A failure that means Redis is
 * unreachable marks the manager's {@link RedisHealth} down; while it is down, calls do not reach
 * Redis: they fail at once, or in degrade mode return what an empty cache would (reads) or skip
 * the write and remember its keys (writes). Every other failure is a {@link CacheException} that
 * names the cache.
 */
final class RedisCalls {

    private final String cacheName;
    private final KeyLayout layout;
    private final RedisHealth health;

    /** Calls for a cache's entries. */
    RedisCalls(String cacheName, KeyLayout layout, RedisHealth health) {
        this.cacheName = cacheName;
        this.layout = layout;
        this.health = health;
    }

    /** Calls that are not about one cache's entries (pub/sub, registry): they always fail loudly. */
    RedisCalls(String what) {
        this(what, null, null);
    }

    /** True while Redis is known to be unreachable (calls then do not wait on it). */
    boolean isDown() {
        return health != null && health.isDown();
    }

    /** A call whose failure is always an exception. */
    <T> T call(String operation, Supplier<T> call) {
        return run(operation, call, false, null, null);
    }

    /** A read; degraded, it answers {@code whenDegraded}, as an empty cache would. */
    <T> T read(String operation, Supplier<T> call, T whenDegraded) {
        return run(operation, call, true, whenDegraded, null);
    }

    /** A write of {@code segments}; degraded, it is skipped, remembered and answers {@code whenDegraded}. */
    <T> T write(String operation, Collection<String> segments, Supplier<T> call, T whenDegraded) {
        return run(operation, call, true, whenDegraded, () -> health.skipped(layout, segments));
    }

    /** A clear of the whole cache; degraded, it is remembered and done once Redis is back. */
    <T> T clear(String operation, Supplier<T> call, T whenDegraded) {
        return run(operation, call, true, whenDegraded, () -> health.skippedClear(layout));
    }

    private <T> T run(String operation, Supplier<T> call, boolean mayDegrade, T whenDegraded, Runnable onSkip) {
        boolean degrade = mayDegrade && health != null && health.mode() == FailureMode.DEGRADE;
        if (health != null && health.isDown()) {
            if (degrade) {
                return skip(onSkip, whenDegraded);
            }
            throw new CacheException("Cache[" + cacheName + "]: Redis is unreachable; failing fast until it is back");
        }
        try {
            return call.get();
        } catch (RuntimeException e) {
            Throwable cause = unwrap(e);
            if (health != null && isUnreachable(cause)) {
                health.unavailable(cause);
                if (degrade) {
                    return skip(onSkip, whenDegraded);
                }
            }
            throw failure(operation, cause);
        }
    }

    private static <T> T skip(Runnable onSkip, T whenDegraded) {
        if (onSkip != null) {
            onSkip.run();
        }
        return whenDegraded;
    }

    CacheException failure(String operation, Throwable cause) {
        if (cause instanceof CacheException cacheException) {
            return cacheException;
        }
        return new CacheException("Cache[" + cacheName + "]: Redis " + operation + " failed: " + cause.getMessage(), cause);
    }

    /**
     * True when a failure means Redis could not be reached or did not answer in time, rather than
     * that it refused the command. Redisson sometimes reports a refused connection as a plain
     * RedisException with the network error as its cause or suppressed exception.
     */
    static boolean isUnreachable(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            if (cause instanceof RedisConnectionException || cause instanceof RedisTimeoutException
                    || cause instanceof RedisNodeNotFoundException || cause instanceof RedisRetryException
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

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (!(cause instanceof RedisException) && !(cause instanceof CacheException) && cause.getCause() instanceof RedisException) {
            return cause.getCause();
        }
        return cause;
    }
}
