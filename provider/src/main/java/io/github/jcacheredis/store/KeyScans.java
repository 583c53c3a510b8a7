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
 * size: iteration and the enrolment of entries for expiry events (the client's key iterator), and
 * clear (with UNLINK, which frees values off the server's main thread) and removeAll(), which
 * follow the slots a cluster moves meanwhile ({@link KeySweep}).
 */
final class KeyScans {

    /**
     * How long a clear or removeAll() goes on reading the slots that moved while it scanned, as
     * long as some of them move again each time, before it gives up (a move of a slot ends within
     * moments; this is for a cluster whose slots are moved back and forth without end).
     */
    static final long FOLLOW_MILLIS = 30_000;

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
     * The encoded keys of a removal of every entry (removeAll()), in batches: each batch must be
     * removed before the next is asked for, so that no entry is handed out twice, and the keys of
     * slots that move meanwhile are followed ({@link KeySweep}). Degraded, the removal cannot see
     * the keys it would remove: it is recorded as a skipped clear instead, carried out once Redis
     * is back, and so is the rest of a scan that finds Redis unreachable partway.
     */
    Iterator<List<String>> encodedKeysToRemove(int batchSize) {
        KeySweep batches = sweep(ctx.redis, ctx.layout.prefix(), batchSize);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ctx.calls.clear("SCAN", batches::hasNext, false);
            }

            @Override
            public List<String> next() {
                return batches.next().stream().map(ctx.layout::encodedKey).toList();
            }
        };
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

    /**
     * The keys under {@code prefix} in batches of at most {@code batchSize}, for a caller that
     * deletes each batch before it asks for the next; on a cluster it follows slots that move
     * meanwhile for up to {@link #FOLLOW_MILLIS}.
     */
    static KeySweep sweep(RedissonClient redis, String prefix, int batchSize) {
        return new KeySweep(new MasterReads(redis), prefix, batchSize, FOLLOW_MILLIS);
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
