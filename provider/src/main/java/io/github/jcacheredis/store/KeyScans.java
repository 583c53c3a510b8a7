package io.github.jcacheredis.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;

/**
 * SCAN over one cache's keys, a batch per call, so client memory stays bounded whatever the cache's
 * size: iteration, clear (with UNLINK, which frees values off the server's main thread) and the
 * enrolment of entries for expiry events.
 */
final class KeyScans {

    private final StoreContext ctx;

    KeyScans(StoreContext ctx) {
        this.ctx = ctx;
    }

    Iterator<String> encodedKeys(int batchSize) {
        Iterator<String> keys = ctx.calls.read("SCAN", () -> scan(ctx.redis, ctx.layout.scanPattern(), batchSize),
                Collections.emptyIterator());
        return decoded(keys, () -> ctx.calls.read("SCAN", keys::hasNext, false));
    }

    /**
     * The encoded keys of a removal of every entry (removeAll()). Degraded, the removal cannot see
     * the keys it would remove: it is recorded as a skipped clear instead, carried out once Redis
     * is back, and so is the rest of a scan that finds Redis unreachable partway.
     */
    Iterator<String> encodedKeysToRemove(int batchSize) {
        Iterator<String> keys = ctx.calls.clear("SCAN", () -> scan(ctx.redis, ctx.layout.scanPattern(), batchSize),
                null);
        if (keys == null) {
            return Collections.emptyIterator(); // degraded: recorded as a skipped clear
        }
        return decoded(keys, () -> ctx.calls.clear("SCAN", keys::hasNext, false));
    }

    private Iterator<String> decoded(Iterator<String> keys, BooleanSupplier hasNext) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return hasNext.getAsBoolean();
            }

            @Override
            public String next() {
                return ctx.layout.encodedKey(keys.next());
            }
        };
    }

    /**
     * Deletes the cache's entries and then tells every instance's local tier, whatever this
     * instance knows of the others: a manager that never opened the cache (destroyCache) knows
     * nobody, and a tier that missed the clear would go on answering for entries that are gone.
     * Listeners are told nothing: clear fires no events ({@link EntryDeletions#clear}).
     */
    long clear(int batchSize) {
        try (PublishedWrites.Write write = ctx.beginWrite()) {
            Publication pub = write.publication();
            long removed = ctx.calls.clear("clear", () -> EntryDeletions.clear(ctx.redis, ctx.layout, batchSize,
                    pub.tracksExpiry(), pub.isActive() ? pub.origin() : "-"), 0L);
            return removed;
        }
    }

    static Iterator<String> scan(RedissonClient redis, String pattern, int batchSize) {
        return redis.getKeys().getKeys(KeysScanOptions.defaults().pattern(pattern).chunkSize(batchSize)).iterator();
    }

    /** UNLINKs every key matching {@code pattern}, {@code batchSize} at a time; returns how many. */
    static long unlinkMatching(RedissonClient redis, String pattern, int batchSize) {
        long removed = 0;
        Iterator<String> keys = scan(redis, pattern, batchSize);
        List<String> batch = new ArrayList<>(batchSize);
        while (keys.hasNext()) {
            batch.add(keys.next());
            if (batch.size() == batchSize || !keys.hasNext()) {
                removed += redis.getKeys().unlink(batch.toArray(String[]::new));
                batch.clear();
            }
        }
        return removed;
    }
}
