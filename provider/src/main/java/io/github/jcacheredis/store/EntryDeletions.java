package io.github.jcacheredis.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RTopicAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

/**
 * Deleting a cache's entries outside the write scripts: a clear or destroyCache, and a recovery's
 * undo of writes skipped while Redis was unreachable. Like a write, a deletion removes what expiry
 * tracking keeps beside each entry (a shadow copy left behind would later be reported as an
 * EXPIRED entry) and tells every instance's local tier, whatever this instance knows of the
 * others; unlike a write it fires no events: listeners are told nothing, as for a clear.
 */
final class EntryDeletions {

    private EntryDeletions() {
    }

    /**
     * Deletes every entry of the cache of {@code layout}, then publishes a clear from {@code origin};
     * returns how many entries. Wherever expiry is tracked, or was, each entry goes with its shadow
     * copy and due time, a batch at a time: deleting the entries first and the copies by a later
     * scan let a sweep in between report cleared entries as expired, and deleted the copy of an
     * entry written meanwhile, whose expiry then went unreported. Copies of entries that expired
     * before the clear stay for the sweep to report; leftovers of an earlier tracking period go
     * when tracking starts again (the wipe), or by their TTLs, which the clear then fits to what
     * is left ({@link DueLifetimes#fitAfterClear}): a destroyed cache nobody tracks any more
     * leaves nothing behind for longer than the grace. The keys come from a {@link KeySweep}, so
     * an entry whose cluster slot moves while the clear runs is deleted all the same.
     */
    static long clear(RedissonClient redis, KeyLayout layout, int batchSize, boolean tracksExpiry, String origin) {
        boolean withCompanions = tracksExpiry || expiryStateExists(redis, layout);
        long removed = 0;
        KeySweep batches = KeyScans.sweep(redis, layout.prefix(), batchSize);
        while (batches.hasNext()) {
            List<String> keys = batches.next();
            removed += withCompanions
                    ? unlinkWithCompanions(redis, layout, keys.stream().map(layout::encodedKey).toList())
                    : redis.getKeys().unlink(keys.toArray(String[]::new));
        }
        if (withCompanions) {
            DueLifetimes.fitAfterClear(redis, layout);
        }
        publish(redis, layout, EventMessage.CLEARED, origin, "");
        return removed;
    }

    /**
     * Deletes the entries {@code encodedKeys} with their shadow copies and due times, in one
     * pipeline; returns how many of them were there (an entry or its copy).
     */
    private static long unlinkWithCompanions(RedissonClient redis, KeyLayout layout, Collection<String> encodedKeys) {
        RBatch deletions = redis.createBatch(BatchOptions.defaults());
        List<RFuture<Long>> unlinked = new ArrayList<>(encodedKeys.size());
        for (String encodedKey : encodedKeys) {
            // one command: the sweeper finds the entry and its shadow copy both there or both gone
            unlinked.add(deletions.getKeys().unlinkAsync(layout.entryKey(encodedKey), layout.shadowKey(encodedKey)));
            deletions.getScoredSortedSet(layout.dueKey(encodedKey), StringCodec.INSTANCE).removeAsync(encodedKey);
        }
        Replies.execute(deletions, redis);
        return unlinked.stream().filter(count -> count.toCompletableFuture().join() > 0).count();
    }

    /**
     * Deletes the entries {@code encodedKeys} of the cache of {@code layout}, with their shadow
     * copies and due times, and then tells each instance's local tier to drop them: one pipeline
     * of deletions, then one of invalidations. On a cluster a pipeline's commands for different
     * nodes run side by side, so an invalidation sent with the deletions could arrive first, and
     * a local tier that read the entry again in between would keep the deleted value.
     */
    static void delete(RedissonClient redis, KeyLayout layout, Collection<String> encodedKeys) {
        if (encodedKeys.isEmpty()) {
            return;
        }
        unlinkWithCompanions(redis, layout, encodedKeys);
        RBatch invalidations = redis.createBatch(BatchOptions.defaults());
        RTopicAsync channel = invalidations.getTopic(EventChannels.eventChannel(layout), ByteArrayCodec.INSTANCE);
        for (String encodedKey : encodedKeys) {
            channel.publishAsync(EventMessage.encode(EventMessage.INVALIDATED, "-", encodedKey));
        }
        Replies.execute(invalidations, redis);
    }

    /** True when some instance tracks (or tracked) the expiry of the cache: an index of due times exists. */
    private static boolean expiryStateExists(RedissonClient redis, KeyLayout layout) {
        String index = layout.clustered() ? layout.dueTagsKey() : layout.dueKeyOfTag("");
        return redis.getKeys().countExists(index) > 0;
    }

    private static void publish(RedissonClient redis, KeyLayout layout, char kind, String origin, String encodedKey) {
        redis.getTopic(EventChannels.eventChannel(layout), ByteArrayCodec.INSTANCE)
                .publish(EventMessage.encode(kind, origin, encodedKey));
    }
}
