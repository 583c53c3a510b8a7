package io.github.jcacheredis.store;

import java.util.Collection;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
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
     * Deletes every entry of the cache of {@code layout}, with its shadow copies and due times
     * wherever some exist, then publishes a clear from {@code origin}; returns how many entries.
     */
    static long clear(RedissonClient redis, KeyLayout layout, int batchSize, boolean tracksExpiry, String origin) {
        long removed = KeyScans.unlinkMatching(redis, layout.scanPattern(), batchSize);
        if (tracksExpiry || expiryStateExists(redis, layout)) {
            KeyScans.unlinkMatching(redis, layout.shadowScanPattern(), batchSize);
            KeyScans.unlinkMatching(redis, layout.dueScanPattern(), batchSize);
        }
        publish(redis, layout, EventMessage.CLEARED, origin, "");
        return removed;
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
        RBatch deletions = redis.createBatch(BatchOptions.defaults());
        for (String encodedKey : encodedKeys) {
            // one command: the sweeper finds the entry and its shadow copy both there or both gone
            deletions.getKeys().unlinkAsync(layout.entryKey(encodedKey), layout.shadowKey(encodedKey));
            deletions.getScoredSortedSet(layout.dueKey(encodedKey), StringCodec.INSTANCE).removeAsync(encodedKey);
        }
        deletions.execute();
        RBatch invalidations = redis.createBatch(BatchOptions.defaults());
        RTopicAsync channel = invalidations.getTopic(EventChannels.eventChannel(layout), ByteArrayCodec.INSTANCE);
        for (String encodedKey : encodedKeys) {
            channel.publishAsync(EventMessage.encode(EventMessage.INVALIDATED, "-", encodedKey));
        }
        invalidations.execute();
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
