package io.github.jcacheredis.store;

import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import io.github.jcacheredis.storage.Ttl;
import io.github.jcacheredis.storage.TtlResolver;
import io.github.jcacheredis.storage.WriteLease;
import io.github.jcacheredis.store.Scripts.MutateReply;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.redisson.api.RBatch;
import org.redisson.api.RBucketAsync;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The entries of one cache in Redis, one key each. Every single-entry call is one round trip: a
 * native command where one does the job, else one EVALSHA of {@code mutate.lua}. Bulk calls
 * ({@link BulkCommands}) are pipelined and split per slot on a cluster; iteration and clear scan
 * ({@link KeyScans}). Keys are passed as encoded keys. A write whose TTL the script must
 * know first (a policy asked only for the case that applies) takes a second round trip.
 */
public final class RedisEntryStore implements EntryStore {

    private final StoreContext ctx;
    private final BulkCommands bulk;
    private final KeyScans scans;
    private final ExpiryIndex expiry;
    private final WriteLeases leases;
    private final TtlResolver ttls;
    private volatile Command.Merge lastGetex;
    /** This instance's recent access-TTL resets, made on the first access-expiry read. */
    private volatile RecentTouches touches;
    /** Keeps the slots this instance listed for the sweeper listed (see {@link ExpiryIndex#keepListed}). */
    private final Runnable stopListing;

    /**
     * @param ttls      answers the TTL of a write that left it unknown
     * @param scheduler the manager's periodic work: write-lease renewals, keeping slots listed
     * @param batches   the manager's batching of single-entry commands
     */
    public RedisEntryStore(RedissonClient redis, KeyLayout layout, String cacheName, RedisHealth health,
                           TtlResolver ttls, ScheduledExecutorService scheduler, NaturalBatches batches) {
        this.ctx = new StoreContext(redis, layout, new RedisCalls(cacheName, layout, health, RedisTopology.settleMillis(redis),
                RedisTopology.timeoutMillis(redis)),
                batches);
        this.scans = new KeyScans(ctx);
        this.expiry = new ExpiryIndex(ctx, scans);
        this.bulk = new BulkCommands(ctx, expiry);
        this.leases = new WriteLeases(ctx, cacheName, scheduler);
        this.ttls = ttls;
        this.stopListing = expiry.keepListed(scheduler);
    }

    /**
     * Takes the write lease of an entry (caches with a CacheWriter), waiting while another instance
     * holds it; the lease carries the entry's value. Write with a mutation fenced by it, or
     * {@link #release} it.
     */
    @Override
    public WriteLease lease(String encodedKey) {
        return leases.acquire(encodedKey);
    }

    @Override
    public void release(WriteLease lease) {
        leases.release((RedisWriteLease) lease);
    }

    @Override
    public String describe(String encodedKey) {
        return ctx.layout.entryKey(encodedKey);
    }

    /** Stops renewing leases and keeping slots listed (the cache closed). */
    @Override
    public void close() {
        leases.close();
        stopListing.run();
    }

    public KeyLayout layout() {
        return ctx.layout;
    }

    /**
     * Makes writes that begin before {@code known} completes wait for it, up to the client's timeout
     * (what they publish is not known yet: the registry of who listens has not been read).
     */
    public void holdWritesUntil(CompletableFuture<Void> known) {
        ctx.holdWritesUntil(known);
    }

    /**
     * Makes writes publish their events (or stop, with {@link Publication#NONE}); the result
     * completes once every write that began before has ended.
     */
    public CompletableFuture<Void> publishTo(Publication publication) {
        if (!publication.tracksExpiry()) {
            expiry.forgetListedTags();
        }
        return ctx.publishTo(publication);
    }

    /** The entry's value as Redis holds it now. */
    @Override
    public byte[] get(String encodedKey) {
        return ctx.calls.read("GET", () -> ctx.send(Command.get(ctx.layout.entryKey(encodedKey))), null);
    }

    /** Reads the entry and applies an access TTL in the same command. */
    @Override
    public byte[] getAndExpire(String encodedKey, long ttl) {
        if (ttl == Ttl.KEEP || ttl == Ttl.UNKNOWN) {
            return get(encodedKey);
        }
        Publication pub = ctx.publicationForAccess();
        if (pub.tracksExpiry()) {
            return ttl == Ttl.EXPIRE_NOW
                    ? ctx.calls.destructiveRead("touch", () -> touch(encodedKey, ttl, pub, true), null)
                    : ctx.calls.read("touch", () -> touch(encodedKey, ttl, pub, true), null);
        }
        String key = ctx.layout.entryKey(encodedKey);
        if (ttl == Ttl.ETERNAL) {
            Command<byte[]> persist = Command.read(key, RBucketAsync::getAndClearExpireAsync).merging(getexOf(Ttl.ETERNAL));
            return ctx.calls.read("GETEX", () -> ctx.send(persist), null);
        }
        if (ttl == Ttl.EXPIRE_NOW) {
            return ctx.calls.destructiveRead("GETDEL", () -> ctx.send(Command.write(key, RBucketAsync::getAndDeleteAsync)), null);
        }
        RecentTouches recent = ttls.neverShortens(ttl) ? recentTouches() : RecentTouches.NONE;
        long now = recent.now();
        if (recent.isRecent(key, ttl, now)) {
            return get(encodedKey); // this instance set the TTL moments ago: a plain read, which batches as an MGET
        }
        Command<byte[]> getex = Command.<byte[]>read(key, b -> b.getAndExpireAsync(Duration.ofMillis(ttl)))
                .merging(getexOf(ttl));
        byte[] value = ctx.calls.read("GETEX", () -> ctx.send(getex), null);
        if (value != null) {
            recent.touched(key, ttl, now);
        }
        return value;
    }

    private RecentTouches recentTouches() {
        RecentTouches recent = touches;
        if (recent == null) {
            recent = new RecentTouches(); // racing callers may each make one: only a few skips are lost
            touches = recent;
        }
        return recent;
    }

    /** The merged form of a GETEX with {@code ttl}: one per TTL, as a cache's access TTL rarely changes. */
    private Command.Merge getexOf(long ttl) {
        Command.Merge last = lastGetex;
        if (last == null || !last.isGetexOf(ttl)) {
            last = Command.Merge.getex(ttl);
            lastGetex = last;
        }
        return last;
    }

    /** The value and remaining TTL, with the access TTL applied first: in one round trip. */
    @Override
    public TimedValue getWithTtl(String encodedKey, long accessTtl) {
        List<Object> keys = List.of(ctx.layout.entryKey(encodedKey));
        Object[] args = {StoreContext.ascii(accessTtl)};
        List<Object> reply = accessTtl == Ttl.KEEP ? ctx.calls.read("GET and PTTL", () -> valueAndTtl(encodedKey), List.of())
                : accessTtl == Ttl.EXPIRE_NOW
                ? ctx.calls.destructiveRead("read", () -> ctx.scripts.runOnce(Scripts.READ, keys, args), List.of())
                : ctx.calls.read("read", () -> ctx.scripts.run(Scripts.READ, keys, args), List.of());
        byte[] value = reply.isEmpty() ? null : Scripts.touchedValue(reply);
        if (value == null) {
            return null;
        }
        return new TimedValue(value, reply.size() > 1 && reply.get(1) instanceof Long l ? l : 0);
    }

    /** Not while Redis is unreachable, nor while expiry is tracked (an access must run the touch script). */
    @Override
    public boolean allowsLocalCopies() {
        return !ctx.calls.isDown() && !ctx.publication().tracksExpiry();
    }

    /**
     * The value and remaining TTL of an entry, read with two plain reads in one round trip (a
     * script would count as a write: a Redis pausing writes would hold it). A write between the
     * two is harmless: its invalidation withdraws the read's token, or drops what it filled.
     */
    private List<Object> valueAndTtl(String encodedKey) {
        RBatch batch = ctx.redis.createBatch();
        RBucketAsync<byte[]> bucket = batch.getBucket(ctx.layout.entryKey(encodedKey), ByteArrayCodec.INSTANCE);
        RFuture<byte[]> value = bucket.getAsync();
        RFuture<Long> ttl = bucket.remainTimeToLiveAsync();
        ctx.execute(batch);
        byte[] bytes = value.toCompletableFuture().join();
        return bytes == null ? List.of() : List.of(bytes, ttl.toCompletableFuture().join());
    }

    /** Applies an access TTL to an existing entry; false when there is none. */
    @Override
    public boolean expire(String encodedKey, long ttl) {
        if (ttl == Ttl.KEEP || ttl == Ttl.UNKNOWN) {
            return true;
        }
        Publication pub = ctx.publicationForAccess();
        if (pub.tracksExpiry()) {
            return ttl == Ttl.EXPIRE_NOW
                    ? ctx.calls.destructiveRead("touch", () -> touch(encodedKey, ttl, pub, false) != null, false)
                    : ctx.calls.read("touch", () -> touch(encodedKey, ttl, pub, false) != null, false);
        }
        String key = ctx.layout.entryKey(encodedKey);
        if (ttl == Ttl.ETERNAL) {
            // GETEX PERSIST, not PERSIST: PERSIST answers 0 for a present entry that has no TTL
            return ctx.calls.read("GETEX", () -> ctx.send(Command.read(key, RBucketAsync::getAndClearExpireAsync)) != null,
                    false);
        }
        if (ttl == Ttl.EXPIRE_NOW) {
            return ctx.calls.destructiveRead("DEL", () -> ctx.send(Command.write(key, RBucketAsync::deleteAsync)), false);
        }
        Duration duration = Duration.ofMillis(ttl);
        return ctx.calls.read("PEXPIRE", () -> ctx.send(Command.read(key, b -> b.expireAsync(duration))), false);
    }

    @Override
    public boolean exists(String encodedKey) {
        String key = ctx.layout.entryKey(encodedKey);
        return ctx.calls.read("EXISTS", () -> ctx.send(Command.read(key, RBucketAsync::isExistsAsync)), false);
    }

    /**
     * Stores {@code value} with the creation or the update TTL. One SET when the outcome is not
     * needed, nobody else listens and one command covers both TTLs ({@link #plainSet}); else the script.
     */
    @Override
    public MutationResult put(String encodedKey, byte[] value, long creationTtl, long updateTtl, boolean needOutcome,
                              boolean returnPrevious) {
        try (PublishedWrites.Write write = ctx.beginWrite()) {
            return put(write.publication(), encodedKey, value, creationTtl, updateTtl, needOutcome, returnPrevious);
        }
    }

    private MutationResult put(Publication pub, String encodedKey, byte[] value, long creationTtl, long updateTtl,
                               boolean needOutcome, boolean returnPrevious) {
        if (!needOutcome && !returnPrevious && !pub.isActive() && plainSet(creationTtl, updateTtl)) {
            Command<Void> set = Command.<Void>write(ctx.layout.entryKey(encodedKey), b -> set(b, value, creationTtl, updateTtl))
                    .merging(Command.Merge.set(setTtl(creationTtl, updateTtl), value));
            return ctx.calls.blindWrite("SET", List.of(encodedKey), () -> {
                ctx.send(set);
                return MutationResult.WRITTEN;
            }, MutationResult.SKIPPED);
        }
        // nobody is told this put's outcome when no listener of this instance needs it: then, degraded,
        // one whose reply never came counts as skipped (its entry is deleted once Redis is back)
        return mutate(pub, encodedKey, Mutation.put(value, creationTtl, updateTtl, returnPrevious),
                !needOutcome && !returnPrevious);
    }

    /**
     * True when one SET applies the right TTL whether or not the entry exists: both TTLs equal (SET,
     * SET PX), or a new entry is eternal and an update keeps the TTL (SET KEEPTTL: the default
     * eternal policy).
     */
    static boolean plainSet(long creationTtl, long updateTtl) {
        return creationTtl == updateTtl && (creationTtl == Ttl.ETERNAL || Ttl.isMillis(creationTtl))
                || creationTtl == Ttl.ETERNAL && updateTtl == Ttl.KEEP;
    }

    /**
     * How the one SET for TTLs that {@link #plainSet} accepts treats the TTL: {@code KEEPTTL} (an
     * update keeps it, a new entry has none), {@code NONE}, or the milliseconds of both TTLs.
     */
    static String setTtl(long creationTtl, long updateTtl) {
        if (updateTtl == Ttl.KEEP) {
            return "KEEPTTL";
        }
        return creationTtl == Ttl.ETERNAL ? "NONE" : Long.toString(creationTtl);
    }

    /** Sends the one SET for TTLs that {@link #plainSet} accepts (alone, or queued in a pipeline). */
    static RFuture<Void> set(RBucketAsync<byte[]> bucket, byte[] value, long creationTtl, long updateTtl) {
        return switch (setTtl(creationTtl, updateTtl)) {
            case "KEEPTTL" -> bucket.setAndKeepTTLAsync(value);
            case "NONE" -> bucket.setAsync(value);
            default -> bucket.setAsync(value, Duration.ofMillis(creationTtl));
        };
    }

    /** Stores {@code value} only if the entry is absent (SET NX when nobody else listens). */
    @Override
    public MutationResult putIfAbsent(String encodedKey, byte[] value, long creationTtl) {
        try (PublishedWrites.Write write = ctx.beginWrite()) {
            return putIfAbsent(write.publication(), encodedKey, value, creationTtl);
        }
    }

    private MutationResult putIfAbsent(Publication pub, String encodedKey, byte[] value, long creationTtl) {
        if (!pub.isActive() && (creationTtl == Ttl.ETERNAL || Ttl.isMillis(creationTtl))) {
            Command<Boolean> setNx = Command.write(ctx.layout.entryKey(encodedKey), b -> creationTtl == Ttl.ETERNAL
                    ? b.setIfAbsentAsync(value) : b.setIfAbsentAsync(value, Duration.ofMillis(creationTtl)));
            return ctx.calls.write("SET NX", List.of(encodedKey),
                    () -> ctx.send(setNx) ? MutationResult.CREATED : MutationResult.CONFLICT, MutationResult.SKIPPED);
        }
        return mutate(pub, encodedKey, Mutation.putIfAbsent(value, creationTtl), false);
    }

    /** Removes the entry (DEL or GETDEL when nobody else listens). */
    @Override
    public MutationResult remove(String encodedKey, boolean returnPrevious) {
        try (PublishedWrites.Write write = ctx.beginWrite()) {
            return remove(write.publication(), encodedKey, returnPrevious);
        }
    }

    private MutationResult remove(Publication pub, String encodedKey, boolean returnPrevious) {
        if (!pub.isActive()) {
            String key = ctx.layout.entryKey(encodedKey);
            return ctx.calls.write(returnPrevious ? "GETDEL" : "DEL", List.of(encodedKey), () -> {
                if (returnPrevious) {
                    byte[] previous = ctx.send(Command.write(key, RBucketAsync::getAndDeleteAsync));
                    return previous == null ? MutationResult.ABSENT : new MutationResult(Outcome.DELETED, previous);
                }
                return ctx.send(Command.write(key, RBucketAsync::deleteAsync)) ? MutationResult.DELETED : MutationResult.ABSENT;
            }, MutationResult.ABSENT);
        }
        return mutate(pub, encodedKey, Mutation.remove(returnPrevious), false);
    }

    /**
     * Runs one conditional write atomically. Degraded, a write that applies whatever the entry
     * holds is skipped; one that needs the entry present or equal to a value finds it absent.
     */
    @Override
    public MutationResult mutate(String encodedKey, Mutation mutation) {
        try (PublishedWrites.Write write = ctx.beginWrite()) {
            return mutate(write.publication(), encodedKey, mutation, false);
        }
    }

    /**
     * Runs {@code mutation}, asking for a TTL first when its script needs one; {@code blind} when
     * the caller learns nothing of its outcome ({@link RedisCalls#blindWrite}).
     */
    private MutationResult mutate(Publication pub, String encodedKey, Mutation mutation, boolean blind) {
        if (mutation.lease() instanceof RedisWriteLease lease && lease.standsIn()) {
            return skipUnfenced(encodedKey, mutation);
        }
        Mutation current = mutation;
        try {
            while (true) {
                MutateReply reply = attempt(pub, encodedKey, current, blind);
                if (!reply.needsTtl()) {
                    return reply.result();
                }
                current = reply.completed(current, ttls);
            }
        } finally {
            if (mutation.lease() != null) {
                leases.written((RedisWriteLease) mutation.lease());
            }
        }
    }

    /**
     * A write decided under a stand-in lease, while Redis was unreachable and the cache acted as
     * empty: nothing fences it, so it never reaches Redis. Still unreachable, it is skipped like any
     * write then (its entry deleted once Redis is back); back already, the entry is deleted now, as
     * that recovery would (no events), since another instance may have written it meanwhile and
     * the system of record holds whichever write its writer took last.
     */
    private MutationResult skipUnfenced(String encodedKey, Mutation mutation) {
        return ctx.calls.write("delete of an unfenced write", List.of(encodedKey), () -> {
            EntryDeletions.delete(ctx.redis, ctx.layout, List.of(encodedKey));
            return mutation.whenDegraded();
        }, mutation.whenDegraded());
    }

    /** One run of the write script: its result, or its request for a TTL (nothing was written). */
    private MutateReply attempt(Publication pub, String encodedKey, Mutation mutation, boolean blind) {
        long writeId = pub.tickets().open();
        MutateReply reply = null;
        try {
            reply = ctx.calls.write("mutate", mutation.skippedWhenDegraded() ? List.of(encodedKey) : List.of(),
                    List.of(encodedKey), () -> {
                expiry.noteWrite(pub, encodedKey);
                return MutateReply.of(ctx.scripts.runOnce(Scripts.MUTATE, Scripts.mutateKeys(ctx.layout, encodedKey,
                        mutation, pub), Scripts.mutateArguments(encodedKey, mutation, pub, writeId)), writeId);
            }, MutateReply.of(mutation.whenDegraded()), blind);
            return reply;
        } finally {
            if (writeId != 0 && (reply == null || reply.writeId() == 0)) {
                pub.tickets().unused(writeId);
            }
        }
    }

    private byte[] touch(String encodedKey, long ttl, Publication pub, boolean returnValue) {
        expiry.noteWrite(pub, encodedKey);
        List<Object> keys = Scripts.tracked(ctx.layout, encodedKey);
        Object[] args = Scripts.touchArguments(encodedKey, ttl, pub, returnValue);
        return Scripts.touchedValue(ttl == Ttl.EXPIRE_NOW ? ctx.scripts.runOnce(Scripts.TOUCH, keys, args)
                : ctx.scripts.run(Scripts.TOUCH, keys, args));
    }

    /** The values of the present entries among {@code encodedKeys}, by encoded key. */
    @Override
    public Map<String, byte[]> getAll(Collection<String> encodedKeys) {
        return bulk.getAll(encodedKeys);
    }

    /** Like {@link #getAll} but applies an access TTL to each entry read. */
    @Override
    public Map<String, byte[]> getAllAndExpire(Collection<String> encodedKeys, long ttl) {
        return bulk.getAllAndExpire(encodedKeys, ttl);
    }

    /**
     * Runs conditional writes in one pipeline; results in the order of {@code mutations}. Those
     * whose script asked for a TTL run again one by one with it.
     */
    @Override
    public List<MutationResult> mutateAll(Map<String, Mutation> mutations) {
        try (PublishedWrites.Write write = ctx.beginWrite()) {
            Publication pub = write.publication();
            List<MutateReply> replies = bulk.mutateAll(pub, mutations, false);
            List<MutationResult> results = new ArrayList<>(replies.size());
            int i = 0;
            for (Map.Entry<String, Mutation> mutation : mutations.entrySet()) {
                MutateReply reply = replies.get(i++);
                results.add(reply.needsTtl()
                        ? mutate(pub, mutation.getKey(), reply.completed(mutation.getValue(), ttls), false)
                        : reply.result());
            }
            return results;
        }
    }

    /**
     * Stores all values with the creation or update TTL: MSET or a SET pipeline when nobody else
     * listens and one command covers both TTLs, else a pipeline of the script.
     */
    @Override
    public int putAll(Map<String, byte[]> values, long creationTtl, long updateTtl) {
        return bulk.putAll(values, creationTtl, updateTtl);
    }

    /** Removes the given entries; returns how many existed. */
    @Override
    public long removeAll(Collection<String> encodedKeys) {
        return bulk.removeAll(encodedKeys);
    }

    /** Iterates over the encoded keys of the cache with SCAN, {@code batchSize} keys per call. */
    @Override
    public Iterator<String> scan(int batchSize) {
        return scans.encodedKeys(batchSize);
    }

    /**
     * {@link #scan} for removeAll(), following slots that move meanwhile; degraded, the removal is
     * recorded as a clear to carry out once Redis is back.
     */
    @Override
    public Iterator<List<String>> batchesToRemove(int batchSize) {
        return scans.encodedKeysToRemove(batchSize);
    }

    /** Deletes every entry of the cache (SCAN + UNLINK in batches), without events; returns the count. */
    @Override
    public long clear(int batchSize) {
        return scans.clear(batchSize);
    }

    /** The cache's tracking of due times, which reports expired entries ({@link ExpiryIndex}). */
    public ExpiryIndex expiryIndex() {
        return expiry;
    }
}
