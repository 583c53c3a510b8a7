package io.github.jcacheredis.store;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes through a pub/sub connection that may just have dropped. While Redisson reconnects,
 * a SUBSCRIBE fails at once (a closed channel); a failed attempt is undone, so that no listener is
 * left attached twice, and tried again, backing off, until the connection is back or
 * {@link #PATIENCE} has passed. Subscribing changes nothing in Redis, so trying again is safe.
 */
final class Subscribing {

    /** How long a subscription keeps trying before the call that needs it fails. */
    static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final long FIRST_DELAY_MILLIS = 50;
    private static final long MAX_DELAY_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(Subscribing.class);

    private Subscribing() {
    }

    /**
     * Runs {@code attempt} until it succeeds, running {@code undo} after each failure; throws the last
     * failure, as {@link RedisCalls#call} reports it, once {@link #PATIENCE} has passed.
     */
    static <T> T retrying(RedisCalls calls, String operation, Supplier<T> attempt, Runnable undo) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long delay = FIRST_DELAY_MILLIS;
        while (true) {
            try {
                return calls.call(operation, attempt);
            } catch (RuntimeException e) {
                undoQuietly(undo);
                if (System.nanoTime() + delay * 1_000_000 - deadline > 0 || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.debug("{} failed ({}); trying again in {} ms", operation, e.getMessage(), delay);
                RedisCalls.pause(delay);
                delay = Math.min(delay * 2, MAX_DELAY_MILLIS);
            }
        }
    }

    private static void undoQuietly(Runnable undo) {
        try {
            undo.run();
        } catch (RuntimeException e) {
            LOG.debug("undoing a failed subscription failed", e);
        }
    }
}
