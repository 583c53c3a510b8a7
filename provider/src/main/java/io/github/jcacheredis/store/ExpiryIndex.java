package io.github.jcacheredis.store;

import static io.github.jcacheredis.store.StoreContext.ascii;
import static io.github.jcacheredis.store.StoreContext.utf8;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RSet;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The due times of one cache's entries, kept while some instance listens for EXPIRED events, so
 * that each expiry is reported promptly and exactly once without relying on Redis to notice it:
 * Redis finds expired keys by sampling, which with many volatile keys takes seconds to minutes.
 * Writes keep, next to each entry with a TTL, a shadow copy of its value (outliving it by a grace)
 * and its due time in an index: one sorted set per cache on one server, one per slot (in that slot)
 * on a cluster, whose tags a small set lists. One instance at a time (holding a lease) sweeps the
 * indexes every {@link #SWEEP_MILLIS} ms: each due entry is touched, which makes Redis expire it
 * now, and one that is gone is reported with its shadow copy's value, by whoever takes the copy.
 * Indexes and the set of slots have TTLs ({@link DueLifetimes}), so that once nobody tracks
 * expiry they go with the entries they were kept for.
 */
public final class ExpiryIndex {

    /** How often the sweeping instance looks for due entries. */
    public static final long SWEEP_MILLIS = 500;
    /**
     * How long a shadow copy outlives its entry, and an index of due times its latest due time:
     * the time allowed to report an expiry.
     */
    public static final long SHADOW_GRACE_MILLIS = 60_000;
    /** How long the sweeper's lease lasts without renewal (it renews at every sweep). */
    static final long SWEEPER_LEASE_MILLIS = 3_000;
    /** Entries handled per call of the sweep script. */
    static final int SWEEP_BATCH = 200;
    /** Entries enrolled per call of the enrolment script. */
    static final int ENROLL_BATCH = 200;

    /** Stands for "expiry is tracked" where enrolment notes a slot. */
    private static final Publication TRACKING = new Publication("-", "", false, 1, WriteTickets.NONE);

    private final StoreContext ctx;
    private final KeyScans scans;
    /** How often an instance that listed slots looks whether the set that lists them is still there. */
    static final long RELIST_MILLIS = 1_000;
    /** Slot tags per SADD when listing them again. */
    private static final int RELIST_BATCH = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryIndex.class);

    /** Slot tags this instance has listed since expiry tracking began (clusters only). */
    private final BitSet listedTags = new BitSet(ClusterSlots.SLOTS);
    /** A connection dropped since: the set may have lost this instance's slots (guarded by listedTags). */
    private boolean relistPending;

    ExpiryIndex(StoreContext ctx, KeyScans scans) {
        this.ctx = ctx;
        this.scans = scans;
    }

    /**
     * Before a tracked write of {@code encodedKey} on a cluster: lists its slot among those whose index
     * the sweeper visits (once per slot and instance; a slot listed with nothing due costs a call).
     * Runs inside the write's own call, so its failures count as the write's.
     */
    void noteWrite(Publication pub, String encodedKey) {
        if (!pub.tracksExpiry() || !ctx.layout.clustered()) {
            return;
        }
        int slot = ClusterSlots.slot(ctx.layout.entryKey(encodedKey));
        synchronized (listedTags) {
            if (listedTags.get(slot)) {
                return;
            }
        }
        list(List.of(ctx.layout.tagOf(encodedKey)));
        synchronized (listedTags) {
            listedTags.set(slot);
        }
    }

    /** Expiry tracking stopped: the slots listed so far may be forgotten by a later wipe. */
    void forgetListedTags() {
        synchronized (listedTags) {
            listedTags.clear();
            relistPending = false;
        }
    }

    /**
     * Starts keeping this instance's slots listed (clusters, and the keyv layout, only): the set
     * that lists them can be lost while the instance still counts them listed (an empty restart,
     * a failover before the set reached the replica, eviction, a flush), and a slot missing from
     * it is never swept, so the expiry of every entry in it, also of entries written later, would
     * go unreported for good. After a connection of the client dropped, and whenever the set is
     * found gone (looked at every {@link #RELIST_MILLIS} ms while this instance has listed slots),
     * every slot it listed is listed again; run the result to stop.
     */
    Runnable keepListed(ScheduledExecutorService scheduler) {
        if (!ctx.layout.clustered()) {
            return () -> { };
        }
        AutoCloseable drops = ConnectionDrops.listen(ctx.redis, () -> {
            synchronized (listedTags) {
                relistPending = !listedTags.isEmpty();
            }
        });
        ScheduledFuture<?> checks = scheduler.scheduleWithFixedDelay(this::relistIfLost, RELIST_MILLIS, RELIST_MILLIS,
                TimeUnit.MILLISECONDS);
        return () -> {
            checks.cancel(false);
            try {
                drops.close();
            } catch (Exception e) {
                LOG.debug("cannot stop following the connections of {}", ctx.redis, e);
            }
        };
    }

    private void relistIfLost() {
        List<String> tags = new ArrayList<>();
        boolean pending;
        synchronized (listedTags) {
            listedTags.stream().forEach(slot -> tags.add(ClusterSlots.tagFor(slot)));
            pending = relistPending;
        }
        if (tags.isEmpty()) {
            return;
        }
        try {
            if (pending || ctx.redis.getKeys().countExists(ctx.layout.dueTagsKey()) == 0) {
                for (int from = 0; from < tags.size(); from += RELIST_BATCH) {
                    list(tags.subList(from, Math.min(tags.size(), from + RELIST_BATCH)));
                }
                synchronized (listedTags) {
                    relistPending = false;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot list the slots of {} again yet", ctx.layout.dueTagsKey(), e);
        }
    }

    /**
     * Deletes every shadow copy and due time of the cache: what a former tracking period left is
     * not to be trusted (entries removed or changed while nobody tracked would be reported wrongly).
     * Only while no instance tracks expiry, before it starts.
     */
    public void wipe(int batchSize) {
        ctx.calls.call("wipe expiry tracking", () -> {
            KeyScans.unlinkMatching(ctx.redis, ctx.layout.shadowScanPattern(), batchSize);
            KeyScans.unlinkMatching(ctx.redis, ctx.layout.dueScanPattern(), batchSize);
            ctx.redis.getKeys().unlink(ctx.layout.dueTagsKey());
            return null;
        });
        forgetListedTags();
    }

    /**
     * Gives every entry with a TTL its shadow copy and due time (entries written before expiry was
     * tracked), a batch of entries of one slot per script call; returns how many were enrolled.
     */
    public long enroll(long graceMillis) {
        long enrolled = 0;
        Iterator<String> encodedKeys = scans.encodedKeys(ENROLL_BATCH * 5);
        Map<String, List<String>> byTag = new LinkedHashMap<>();
        int pending = 0;
        while (encodedKeys.hasNext()) {
            String encodedKey = encodedKeys.next();
            byTag.computeIfAbsent(ctx.layout.tagOf(encodedKey), t -> new ArrayList<>()).add(encodedKey);
            if (++pending >= ENROLL_BATCH * 5) {
                enrolled += enrollBatches(byTag, graceMillis);
                byTag.clear();
                pending = 0;
            }
        }
        return enrolled + enrollBatches(byTag, graceMillis);
    }

    private long enrollBatches(Map<String, List<String>> byTag, long graceMillis) {
        long enrolled = 0;
        for (Map.Entry<String, List<String>> group : byTag.entrySet()) {
            List<String> encodedKeys = group.getValue();
            for (int from = 0; from < encodedKeys.size(); from += ENROLL_BATCH) {
                List<String> batch = encodedKeys.subList(from, Math.min(encodedKeys.size(), from + ENROLL_BATCH));
                List<Object> keys = new ArrayList<>(1 + 2 * batch.size());
                Object[] args = new Object[1 + batch.size()];
                keys.add(ctx.layout.dueKey(batch.get(0)));
                args[0] = ascii(graceMillis);
                for (int i = 0; i < batch.size(); i++) {
                    keys.add(ctx.layout.entryKey(batch.get(i)));
                    keys.add(ctx.layout.shadowKey(batch.get(i)));
                    args[1 + i] = utf8(batch.get(i));
                }
                String first = batch.get(0);
                List<Object> reply = ctx.calls.call("enroll", () -> {
                    noteWrite(TRACKING, first);
                    return ctx.scripts.run(Scripts.ENROLL, keys, args);
                });
                enrolled += (Long) reply.get(0);
            }
        }
        return enrolled;
    }

    /**
     * One sweep by the instance holding the sweeper's lease ({@code token}): takes or renews the
     * lease, then reports every due entry, and keeps the set of slots (on a cluster) alive for as
     * long as the indexes it lists. Returns how many were reported, or -1 when another instance
     * holds the lease.
     */
    public long sweep(String token) {
        if (!holdSweeperLease(token)) {
            return -1;
        }
        byte[] channel = utf8(EventChannels.eventChannel(ctx.layout));
        long reported = 0;
        long longestIndexTtl = -2;
        RuntimeException failure = null;
        for (String dueKey : dueKeys()) {
            try {
                Swept swept = sweep(dueKey, channel);
                reported += swept.reported();
                longestIndexTtl = Math.max(longestIndexTtl, swept.indexTtl());
            } catch (RuntimeException e) {
                // one slot refused (its keys half moved to another master): the others are still swept
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (ctx.layout.clustered()) {
            // also after a slot refused: the set lives at least the grace from each sweep, so it
            // never runs out while someone sweeps
            long longest = longestIndexTtl;
            try {
                ctx.calls.call("PEXPIRE", () -> {
                    DueLifetimes.keepTags(ctx.redis, ctx.layout, longest);
                    return null;
                });
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return reported;
    }

    /** What sweeping one index did: entries reported, and the index's remaining TTL (-2: gone). */
    private record Swept(long reported, long indexTtl) {
    }

    /**
     * Reports the due entries of one index: lists them, then hands them to the sweep script with
     * every key it touches, so that while the slot moves the script runs only where all of them are.
     */
    private Swept sweep(String dueKey, byte[] channel) {
        String shadowPrefix = ctx.layout.shadowPrefixOfDueKey(dueKey);
        byte[] grace = ascii(SHADOW_GRACE_MILLIS);
        long reported = 0;
        while (true) {
            List<Object> listed = ctx.calls.call("list due entries", () -> ctx.scripts.run(Scripts.DUE, List.of(dueKey),
                    DueLifetimes.listing(SWEEP_BATCH)));
            long indexTtl = DueLifetimes.ttlOf(listed);
            List<Object> due = listed.subList(1, listed.size());
            if (due.isEmpty()) {
                return new Swept(reported, indexTtl);
            }
            List<Object> keys = new ArrayList<>(1 + 2 * due.size());
            Object[] args = new Object[2 + due.size()];
            keys.add(dueKey);
            args[0] = channel;
            args[1] = grace;
            for (int i = 0; i < due.size(); i++) {
                String member = new String((byte[]) due.get(i), StandardCharsets.UTF_8);
                keys.add(ctx.layout.entryKey(member));
                keys.add(shadowPrefix + member);
                args[2 + i] = utf8(member);
            }
            List<Object> reply = ctx.calls.call("sweep", () -> ctx.scripts.runOnce(Scripts.SWEEP, keys, args));
            reported += (Long) reply.get(1);
            if (due.size() < SWEEP_BATCH) {
                return new Swept(reported, indexTtl);
            }
        }
    }

    /** Gives up the sweeper's lease (the instance stops listening for expiry). */
    public void releaseSweeper(String token) {
        ctx.calls.call("release sweeper", () -> ctx.scripts.runOnce(Scripts.LEASE_KEEP,
                List.of(ctx.layout.sweeperKey()), new Object[] {utf8(token), ascii(0)}));
    }

    private boolean holdSweeperLease(String token) {
        boolean renewed = Scripts.succeeded(ctx.calls.call("renew sweeper", () -> ctx.scripts.runOnce(Scripts.LEASE_KEEP,
                List.of(ctx.layout.sweeperKey()), new Object[] {utf8(token), ascii(SWEEPER_LEASE_MILLIS)})));
        return renewed || ctx.calls.call("take sweeper", () -> ctx.redis.getBucket(ctx.layout.sweeperKey(),
                StringCodec.INSTANCE).setIfAbsent(token, Duration.ofMillis(SWEEPER_LEASE_MILLIS)));
    }

    private List<String> dueKeys() {
        if (!ctx.layout.clustered()) {
            return List.of(ctx.layout.dueKeyOfTag(""));
        }
        Set<String> tags = ctx.calls.call("SMEMBERS", () -> tags().readAll());
        List<String> keys = new ArrayList<>(tags.size());
        tags.forEach(tag -> keys.add(ctx.layout.dueKeyOfTag(tag)));
        return keys;
    }

    private RSet<String> tags() {
        return ctx.redis.getSet(ctx.layout.dueTagsKey(), StringCodec.INSTANCE);
    }

    /** Adds slot tags to the set the sweeper visits, which then lives at least the grace. */
    private void list(List<String> tags) {
        Object[] args = new Object[1 + tags.size()];
        args[0] = ascii(SHADOW_GRACE_MILLIS);
        for (int i = 0; i < tags.size(); i++) {
            args[1 + i] = utf8(tags.get(i));
        }
        ctx.scripts.run(Scripts.DUE_TAGS, List.of(ctx.layout.dueTagsKey()), args);
    }
}
