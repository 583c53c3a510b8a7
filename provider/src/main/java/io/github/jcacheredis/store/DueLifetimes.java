package io.github.jcacheredis.store;

import static io.github.jcacheredis.store.StoreContext.ascii;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.redisson.api.RBatch;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * How long a cache's indexes of due times, and the set that lists a cluster's, stay in Redis.
 * Once no instance tracks expiry nobody sweeps them (the next tracking period starts by wiping
 * them), so each has a TTL: the scripts that add a due time make its index outlive it by the
 * grace its shadow copy gets, each sweep and each clear fits the TTL to the latest due time the
 * index still holds, and the sweeper keeps the set of slots alive for as long as the longest-lived
 * index. An index of a cache nobody tracks any more, or the set, goes by itself.
 */
final class DueLifetimes {

    /** The script that lists due entries; asked to list none, it only fits the index's TTL. */
    private static final Object[] FIT_ONLY = {ascii(0), ascii(ExpiryIndex.SHADOW_GRACE_MILLIS)};

    private DueLifetimes() {
    }

    /** The arguments of {@code due.lua} listing at most {@code batch} due entries. */
    static Object[] listing(int batch) {
        return new Object[] {ascii(batch), ascii(ExpiryIndex.SHADOW_GRACE_MILLIS)};
    }

    /** The index's remaining TTL that a reply of {@code due.lua} carries first; -2 when it is gone. */
    static long ttlOf(List<Object> dueReply) {
        return (Long) dueReply.get(0);
    }

    /**
     * After a clear (the entries and their due times are gone, but not the due times of entries
     * that expired before it): fits the TTL of each of the cache's indexes to the due times it
     * still holds, and the set of slots' to the indexes, so that none outlives by long what it was
     * kept for when nobody sweeps any more. An index written meanwhile keeps its longer TTL, and
     * while someone tracks expiry the next sweep extends the set again.
     */
    static void fitAfterClear(RedissonClient redis, KeyLayout layout) {
        List<String> dueKeys = new ArrayList<>();
        if (layout.clustered()) {
            RSet<String> tags = redis.getSet(layout.dueTagsKey(), StringCodec.INSTANCE);
            tags.readAll().forEach(tag -> dueKeys.add(layout.dueKeyOfTag(tag)));
        } else {
            dueKeys.add(layout.dueKeyOfTag(""));
        }
        if (dueKeys.isEmpty()) {
            return;
        }
        ScriptRunner scripts = new ScriptRunner(redis);
        RBatch batch = redis.createBatch();
        List<ScriptRunner.Queued> queued = new ArrayList<>(dueKeys.size());
        dueKeys.forEach(dueKey -> queued.add(scripts.queue(batch, Scripts.DUE, List.of(dueKey), FIT_ONLY)));
        ScriptRunner.execute(() -> Replies.execute(batch, redis), queued);
        long longest = -2;
        for (List<Object> reply : ScriptRunner.replies(queued)) {
            longest = Math.max(longest, ttlOf(reply));
        }
        keepTags(redis, layout, longest);
    }

    /**
     * Makes the set that lists a cluster's slots outlive the longest-lived index ({@code longestIndexTtl}
     * ms from now, as the indexes answered), and at least the grace: a set gone while an index
     * it listed is still swept would leave that slot's expiries unreported. Shortens it too, once
     * the indexes that needed it are gone. Nothing happens where the set does not exist.
     */
    static void keepTags(RedissonClient redis, KeyLayout layout, long longestIndexTtl) {
        if (layout.clustered()) {
            redis.getSet(layout.dueTagsKey(), StringCodec.INSTANCE)
                    .expire(Duration.ofMillis(Math.max(ExpiryIndex.SHADOW_GRACE_MILLIS, longestIndexTtl)));
        }
    }
}
