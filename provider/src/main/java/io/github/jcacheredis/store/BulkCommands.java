package io.github.jcacheredis.store;

import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.Outcome;
import io.github.jcacheredis.storage.Ttl;
import io.github.jcacheredis.store.Scripts.MutateReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.redisson.api.RBatch;
import org.redisson.api.RBucketAsync;
import org.redisson.api.RFuture;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The multi-entry calls of one cache: MGET/MSET/UNLINK, which Redisson splits per slot on a
 * cluster, or pipelines of single-entry commands and scripts.
 */
final class BulkCommands {

    private final StoreContext ctx;
    private final ExpiryIndex expiry;

    BulkCommands(StoreContext ctx, ExpiryIndex expiry) {
        this.ctx = ctx;
        this.expiry = expiry;
    }

    Map<String, byte[]> getAll(Collection<String> encodedKeys) {
        if (encodedKeys.isEmpty()) {
            return Map.of();
        }
        String[] keys = encodedKeys.stream().map(ctx.layout::entryKey).toArray(String[]::new);
        if (ctx.oneMgetReadsAnyKeys()) {
            // values in key order: no map of Redis keys for the client to build and this call to map back
            List<Object> values = ctx.calls.read("MGET", () -> ctx.mget(keys), List.of());
            Map<String, byte[]> byEncodedKey = new HashMap<>(values.size() * 2);
            int i = 0;
            for (String encodedKey : encodedKeys) {
                Object value = i < values.size() ? values.get(i++) : null;
                if (value != null) {
                    byEncodedKey.put(encodedKey, (byte[]) value);
                }
            }
            return byEncodedKey;
        }
        Map<String, byte[]> byKey = ctx.calls.read("MGET",
                () -> ctx.await(ctx.redis.getBuckets(ByteArrayCodec.INSTANCE).<byte[]>getAsync(keys)), Map.of());
        Map<String, byte[]> byEncodedKey = new HashMap<>(byKey.size() * 2);
        byKey.forEach((key, value) -> byEncodedKey.put(ctx.layout.encodedKey(key), value));
        return byEncodedKey;
    }

    Map<String, byte[]> getAllAndExpire(Collection<String> encodedKeys, long ttl) {
        if (ttl == Ttl.KEEP || ttl == Ttl.UNKNOWN) {
            return getAll(encodedKeys);
        }
        Publication pub = ctx.publicationForAccess();
        if (pub.tracksExpiry()) {
            return touchAll(encodedKeys, ttl, pub);
        }
        boolean deletes = ttl == Ttl.EXPIRE_NOW;
        Supplier<Map<String, byte[]>> call = () -> {
            // a pipeline runs once: each attempt (the call may be sent again) builds its own
            RBatch batch = deletes ? ctx.writeBatch() : ctx.redis.createBatch();
            Map<String, RFuture<byte[]>> futures = new LinkedHashMap<>();
            for (String encodedKey : encodedKeys) {
                RBucketAsync<byte[]> bucket = batch.getBucket(ctx.layout.entryKey(encodedKey), ByteArrayCodec.INSTANCE);
                futures.put(encodedKey, ttl == Ttl.ETERNAL ? bucket.getAndClearExpireAsync()
                        : ttl == Ttl.EXPIRE_NOW ? bucket.getAndDeleteAsync()
                        : bucket.getAndExpireAsync(Duration.ofMillis(ttl)));
            }
            Pipelines.execute(() -> ctx.execute(batch), futures.values(), false);
            Map<String, byte[]> result = new HashMap<>();
            futures.forEach((encodedKey, future) -> {
                byte[] value = future.toCompletableFuture().join();
                if (value != null) {
                    result.put(encodedKey, value);
                }
            });
            return result;
        };
        if (!deletes) {
            return ctx.calls.read("GETEX pipeline", call, Map.of());
        }
        return ctx.calls.destructiveRead("GETDEL pipeline", call, Map.of());
    }

    /** Access TTLs while expiry is tracked: the touch script extends each shadow copy too. */
    private Map<String, byte[]> touchAll(Collection<String> encodedKeys, long ttl, Publication pub) {
        boolean deletes = ttl == Ttl.EXPIRE_NOW;
        Supplier<Map<String, byte[]>> call = () -> {
            RBatch batch = deletes ? ctx.writeBatch() : ctx.redis.createBatch(); // one per attempt
            Map<String, ScriptRunner.Queued> queued = new LinkedHashMap<>();
            for (String encodedKey : encodedKeys) {
                queued.put(encodedKey, ctx.scripts.queue(batch, Scripts.TOUCH, Scripts.tracked(ctx.layout, encodedKey),
                        Scripts.touchArguments(encodedKey, ttl, pub, true)));
            }
            encodedKeys.forEach(encodedKey -> expiry.noteWrite(pub, encodedKey));
            ScriptRunner.execute(() -> ctx.execute(batch), new ArrayList<>(queued.values()));
            Map<String, byte[]> result = new HashMap<>();
            queued.forEach((encodedKey, reply) -> {
                byte[] value = Scripts.touchedValue(reply.reply());
                if (value != null) {
                    result.put(encodedKey, value);
                }
            });
            return result;
        };
        if (!deletes) {
            return ctx.calls.read("touch pipeline", call, Map.of());
        }
        return ctx.calls.destructiveRead("touch pipeline", call, Map.of());
    }

    /**
     * Runs the mutations in one pipeline; replies in their order. A reply may ask for a TTL (see
     * {@link MutateReply#needsTtl}): that write did not happen. {@code blind} when the caller
     * learns nothing of their outcomes ({@link RedisCalls#blindWrite}).
     */
    List<MutateReply> mutateAll(Publication pub, Map<String, Mutation> mutations, boolean blind) {
        if (mutations.isEmpty()) {
            return List.of();
        }
        List<Long> writeIds = new ArrayList<>(mutations.size());
        List<String> skipped = new ArrayList<>();
        List<MutateReply> whenDegraded = new ArrayList<>(mutations.size());
        mutations.forEach((encodedKey, mutation) -> {
            writeIds.add(pub.tickets().open());
            if (mutation.skippedWhenDegraded()) {
                skipped.add(encodedKey);
            }
            whenDegraded.add(MutateReply.of(mutation.whenDegraded()));
        });
        List<MutateReply> results = null;
        try {
            results = ctx.calls.write("mutate pipeline", skipped, mutations.keySet(), () -> {
                // sent again only when it provably did not run; a pipeline runs once, so each attempt builds its own
                RBatch batch = ctx.writeBatch();
                List<ScriptRunner.Queued> queued = new ArrayList<>(mutations.size());
                int at = 0;
                for (Map.Entry<String, Mutation> entry : mutations.entrySet()) {
                    String encodedKey = entry.getKey();
                    queued.add(ctx.scripts.queue(batch, Scripts.MUTATE, Scripts.mutateKeys(ctx.layout, encodedKey,
                            entry.getValue(), pub), Scripts.mutateArguments(encodedKey, entry.getValue(), pub,
                            writeIds.get(at++))));
                }
                mutations.keySet().forEach(encodedKey -> expiry.noteWrite(pub, encodedKey));
                ScriptRunner.execute(() -> ctx.execute(batch), queued);
                List<MutateReply> replies = new ArrayList<>(queued.size());
                List<List<Object>> raw = ScriptRunner.replies(queued);
                for (int i = 0; i < raw.size(); i++) {
                    replies.add(MutateReply.of(raw.get(i), writeIds.get(i)));
                }
                return replies;
            }, whenDegraded, blind);
            return results;
        } finally {
            for (int i = 0; i < writeIds.size(); i++) {
                if (writeIds.get(i) != 0 && (results == null || results.get(i).writeId() == 0)) {
                    pub.tickets().unused(writeIds.get(i));
                }
            }
        }
    }

    /** Stores the values; returns how many were written (none that degrade mode skipped). */
    int putAll(Map<String, byte[]> values, long creationTtl, long updateTtl) {
        try (PublishedWrites.Write write = ctx.beginWrite()) {
            return putAll(write.publication(), values, creationTtl, updateTtl);
        }
    }

    private int putAll(Publication pub, Map<String, byte[]> values, long creationTtl, long updateTtl) {
        if (values.isEmpty()) {
            return 0;
        }
        if (pub.isActive() || !RedisEntryStore.plainSet(creationTtl, updateTtl)) {
            Map<String, Mutation> mutations = new LinkedHashMap<>();
            values.forEach((encodedKey, value) -> mutations.put(encodedKey, Mutation.put(value, creationTtl, updateTtl, false)));
            return (int) nobodyWaits(pub, mutateAll(pub, mutations, true)).stream()
                    .filter(reply -> reply.result().outcome() != Outcome.SKIPPED).count();
        }
        List<String> encodedKeys = new ArrayList<>(values.keySet());
        if (creationTtl == Ttl.ETERNAL && (updateTtl == Ttl.ETERNAL
                || updateTtl == Ttl.KEEP && !ctx.layout.sharedWithOtherWriters())) {
            // MSET also stands for "new entries eternal, updates keep their TTL": entries of a cache
            // whose policy never gives a TTL have none to keep (unless another instance runs the
            // same cache with another policy, which is a configuration error). Not so where other
            // programs write the entries with TTLs of their own (keyv's Node.js side): SET KEEPTTL
            Map<String, Object> byKey = new HashMap<>(values.size() * 2);
            values.forEach((encodedKey, value) -> byKey.put(ctx.layout.entryKey(encodedKey), value));
            return ctx.calls.blindWrite("MSET", encodedKeys, () -> {
                ctx.await(ctx.writeBuckets().setAsync(byKey));
                return values.size();
            }, 0);
        }
        return ctx.calls.blindWrite("SET pipeline", encodedKeys, () -> {
            RBatch batch = ctx.writeBatch(); // one per attempt: a pipeline runs once
            List<RFuture<Void>> sets = new ArrayList<>(values.size());
            values.forEach((encodedKey, value) -> sets.add(RedisEntryStore.set(
                    batch.getBucket(ctx.layout.entryKey(encodedKey), ByteArrayCodec.INSTANCE), value, creationTtl,
                    updateTtl)));
            Pipelines.execute(() -> ctx.execute(batch), sets, false);
            return values.size();
        }, 0);
    }

    long removeAll(Collection<String> encodedKeys) {
        try (PublishedWrites.Write write = ctx.beginWrite()) {
            return removeAll(write.publication(), encodedKeys);
        }
    }

    private long removeAll(Publication pub, Collection<String> encodedKeys) {
        if (encodedKeys.isEmpty()) {
            return 0;
        }
        if (pub.isActive()) {
            Map<String, Mutation> mutations = new LinkedHashMap<>();
            encodedKeys.forEach(encodedKey -> mutations.put(encodedKey, Mutation.remove(false)));
            return nobodyWaits(pub, mutateAll(pub, mutations, false)).stream()
                    .filter(reply -> reply.result().outcome() == Outcome.DELETED).count();
        }
        String[] keys = encodedKeys.stream().map(ctx.layout::entryKey).toArray(String[]::new);
        return ctx.calls.blindWrite("DEL", new ArrayList<>(encodedKeys), () -> ctx.await(ctx.writeKeys().deleteAsync(keys)), 0L);
    }

    /**
     * Writes whose callers fire no events of their own (their events come back through the channel
     * alone), with known TTLs (no reply asks for one).
     */
    private static List<MutateReply> nobodyWaits(Publication pub, List<MutateReply> replies) {
        WriteTickets tickets = pub.tickets();
        replies.forEach(reply -> {
            if (reply.writeId() != 0) {
                tickets.unused(reply.writeId());
            }
        });
        return replies;
    }
}
