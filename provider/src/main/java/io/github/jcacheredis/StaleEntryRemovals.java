package io.github.jcacheredis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes entries that a write-through cache may hold against its system of record: the
 * CacheWriter applied a change, then the write to the cache failed (Redis refused it, or its reply
 * never came). The cache must not go on serving the value from before, so the entry is removed at
 * once, or, while Redis still refuses, again and again in the background (the delay doubling up to
 * {@link #MAX_DELAY_MILLIS}) until it is, or until the manager closes.
 */
final class StaleEntryRemovals {

    private static final Logger LOG = LoggerFactory.getLogger(StaleEntryRemovals.class);
    static final long FIRST_DELAY_MILLIS = 200;
    static final long MAX_DELAY_MILLIS = 5_000;

    private final String cacheName;
    private final Consumer<String> remove;
    private final Executor executor;

    /**
     * @param remove   removes an entry (by its encoded key) or throws
     * @param executor where the later attempts run (the manager's: they end when it closes)
     */
    StaleEntryRemovals(String cacheName, Consumer<String> remove, Executor executor) {
        this.cacheName = cacheName;
        this.remove = remove;
        this.executor = executor;
    }

    /** Removes the entry now if it can; true when it did, else it keeps trying in the background. */
    boolean remove(String encodedKey) {
        if (tryRemove(encodedKey)) {
            return true;
        }
        retry(encodedKey, FIRST_DELAY_MILLIS);
        return false;
    }

    private void retry(String encodedKey, long delayMillis) {
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, executor).execute(() -> {
            if (tryRemove(encodedKey)) {
                LOG.info("Cache[{}]: removed key '{}', whose write to the cache had failed after its CacheWriter ran",
                        cacheName, encodedKey);
            } else {
                retry(encodedKey, Math.min(2 * delayMillis, MAX_DELAY_MILLIS));
            }
        });
    }

    private boolean tryRemove(String encodedKey) {
        try {
            remove.accept(encodedKey);
            return true;
        } catch (RuntimeException e) {
            LOG.debug("Cache[{}]: cannot remove key '{}' yet", cacheName, encodedKey, e);
            return false;
        }
    }
}
