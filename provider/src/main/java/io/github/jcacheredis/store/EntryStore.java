package io.github.jcacheredis.store;

import io.github.jcacheredis.expiry.Ttl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RBucketAsync;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The entries of one cache in Redis, one key each. Every single-entry call is one round trip: a
 * native command where one does the job, else one EVALSHA of {@code mutate.lua}. Bulk calls are
 * pipelined, split per slot on a cluster. Keys are passed as encoded key segments.
 */
public final class EntryStore {

    private static final LuaScript MUTATE = LuaScript.load("mutate.lua");
    private static final LuaScript TOUCH = LuaScript.load("touch.lua");
    private static final LuaScript EXPIRED = LuaScript.load("expired.lua");
    private static final LuaScript ENROLL = LuaScript.load("enroll.lua");
    private static final byte[] EMPTY = new byte[0];

    private final RedissonClient redis;
    private final KeyLayout layout;
    private final RedisCalls calls;
    private final ScriptRunner scripts;
    private volatile Publication publication = Publication.NONE;

    public EntryStore(RedissonClient redis, KeyLayout layout, String cacheName) {
        this.redis = redis;
        this.layout = layout;
        this.calls = new RedisCalls(cacheName);
        this.scripts = new ScriptRunner(redis, calls);
    }

    public KeyLayout layout() {
        return layout;
    }

    /** Makes writes publish their events (or stop, with {@link Publication#NONE}). */
    public void publishTo(Publication publication) {
        this.publication = publication;
    }

    public byte[] get(String segment) {
        return calls.call("GET", () -> bucket(segment).get());
    }

    /** Reads the entry and applies an access TTL in the same command. */
    public byte[] getAndExpire(String segment, long ttl) {
        RBucket<byte[]> bucket = bucket(segment);
        if (ttl == Ttl.KEEP || ttl == Ttl.UNKNOWN) {
            return calls.call("GET", bucket::get);
        }
        Publication pub = publication;
        if (pub.tracksExpiry()) {
            return touch(segment, ttl, pub, true);
        }
        if (ttl == Ttl.ETERNAL) {
            return calls.call("GETEX", bucket::getAndClearExpire);
        }
        if (ttl == Ttl.EXPIRE_NOW) {
            return calls.call("GETDEL", bucket::getAndDelete);
        }
        return calls.call("GETEX", () -> bucket.getAndExpire(Duration.ofMillis(ttl)));
    }

    /** Applies an access TTL to an existing entry; false when there is none. */
    public boolean expire(String segment, long ttl) {
        RBucket<byte[]> bucket = bucket(segment);
        if (ttl == Ttl.KEEP || ttl == Ttl.UNKNOWN) {
            return true;
        }
        Publication pub = publication;
        if (pub.tracksExpiry()) {
            touch(segment, ttl, pub, false);
            return true;
        }
        if (ttl == Ttl.ETERNAL) {
            return calls.call("PERSIST", bucket::clearExpire);
        }
        if (ttl == Ttl.EXPIRE_NOW) {
            return calls.call("DEL", bucket::delete);
        }
        return calls.call("PEXPIRE", () -> bucket.expire(Duration.ofMillis(ttl)));
    }

    public boolean exists(String segment) {
        return calls.call("EXISTS", () -> bucket(segment).isExists());
    }

    /** The values of the present entries among {@code segments}, by segment. */
    public Map<String, byte[]> getAll(Collection<String> segments) {
        if (segments.isEmpty()) {
            return Map.of();
        }
        String[] keys = segments.stream().map(layout::entryKey).toArray(String[]::new);
        Map<String, byte[]> byKey = calls.call("MGET", () -> redis.getBuckets(ByteArrayCodec.INSTANCE).get(keys));
        Map<String, byte[]> bySegment = new HashMap<>(byKey.size() * 2);
        byKey.forEach((key, value) -> bySegment.put(layout.keySegment(key), value));
        return bySegment;
    }

    /** Like {@link #getAll} but applies an access TTL to each entry read. */
    public Map<String, byte[]> getAllAndExpire(Collection<String> segments, long ttl) {
        if (ttl == Ttl.KEEP || ttl == Ttl.UNKNOWN) {
            return getAll(segments);
        }
        Publication pub = publication;
        if (pub.tracksExpiry()) {
            return touchAll(segments, ttl, pub);
        }
        RBatch batch = redis.createBatch();
        Map<String, RFuture<byte[]>> futures = new LinkedHashMap<>();
        for (String segment : segments) {
            RBucketAsync<byte[]> bucket = batch.getBucket(layout.entryKey(segment), ByteArrayCodec.INSTANCE);
            futures.put(segment, ttl == Ttl.ETERNAL ? bucket.getAndClearExpireAsync()
                    : ttl == Ttl.EXPIRE_NOW ? bucket.getAndDeleteAsync()
                    : bucket.getAndExpireAsync(Duration.ofMillis(ttl)));
        }
        calls.call("GETEX pipeline", batch::execute);
        Map<String, byte[]> result = new HashMap<>();
        futures.forEach((segment, future) -> {
            byte[] value = future.toCompletableFuture().join();
            if (value != null) {
                result.put(segment, value);
            }
        });
        return result;
    }

    /**
     * Stores {@code value} with the creation or the update TTL. A plain SET when the outcome is not
     * needed, nobody else listens and both TTLs agree; else the script.
     */
    public MutationResult put(String segment, byte[] value, long creationTtl, long updateTtl, boolean needOutcome,
                              boolean returnPrevious) {
        if (!needOutcome && !returnPrevious && creationTtl == updateTtl && !publication.isActive()
                && (creationTtl == Ttl.ETERNAL || Ttl.isMillis(creationTtl))) {
            RBucket<byte[]> bucket = bucket(segment);
            if (creationTtl == Ttl.ETERNAL) {
                calls.call("SET", () -> {
                    bucket.set(value);
                    return null;
                });
            } else {
                calls.call("SET PX", () -> {
                    bucket.set(value, Duration.ofMillis(creationTtl));
                    return null;
                });
            }
            return MutationResult.WRITTEN;
        }
        return mutate(segment, Mutation.put(value, creationTtl, updateTtl, returnPrevious));
    }

    /** Stores {@code value} only if the entry is absent (SET NX when nobody else listens). */
    public MutationResult putIfAbsent(String segment, byte[] value, long creationTtl) {
        if (!publication.isActive() && (creationTtl == Ttl.ETERNAL || Ttl.isMillis(creationTtl))) {
            RBucket<byte[]> bucket = bucket(segment);
            boolean stored = creationTtl == Ttl.ETERNAL
                    ? calls.call("SET NX", () -> bucket.setIfAbsent(value))
                    : calls.call("SET NX PX", () -> bucket.setIfAbsent(value, Duration.ofMillis(creationTtl)));
            return stored ? MutationResult.CREATED : MutationResult.CONFLICT;
        }
        return mutate(segment, Mutation.putIfAbsent(value, creationTtl));
    }

    /** Removes the entry (DEL or GETDEL when nobody else listens). */
    public MutationResult remove(String segment, boolean returnPrevious) {
        if (!publication.isActive()) {
            RBucket<byte[]> bucket = bucket(segment);
            if (returnPrevious) {
                byte[] previous = calls.call("GETDEL", bucket::getAndDelete);
                return previous == null ? MutationResult.ABSENT : new MutationResult(Outcome.DELETED, previous);
            }
            return calls.call("DEL", bucket::delete) ? MutationResult.DELETED : MutationResult.ABSENT;
        }
        return mutate(segment, Mutation.remove(returnPrevious));
    }

    /** Runs one conditional write atomically. */
    public MutationResult mutate(String segment, Mutation mutation) {
        Publication pub = publication;
        return toResult(scripts.run(MUTATE, keys(segment, pub), arguments(segment, mutation, pub)));
    }

    /**
     * Reports an entry Redis expired, if nobody did yet: publishes its EXPIRED event with the value
     * of its shadow copy. Returns true when this call reported it.
     */
    public boolean reportExpired(String segment) {
        List<Object> reply = scripts.run(EXPIRED, List.of(layout.entryKey(segment), layout.shadowKey(segment)),
                new Object[] {utf8(EventChannels.eventChannel(layout)), utf8(segment)});
        return reply.size() > 0 && Long.valueOf(1).equals(reply.get(0));
    }

    /** Gives every entry with a TTL a shadow copy, so its expiry will be reported; returns how many. */
    public long enrollForExpiryEvents(long graceMillis, int batchSize) {
        long enrolled = 0;
        Iterator<String> segments = scan(batchSize);
        while (segments.hasNext()) {
            String segment = segments.next();
            List<Object> reply = scripts.run(ENROLL, List.of(layout.entryKey(segment), layout.shadowKey(segment)),
                    new Object[] {ascii(Long.toString(graceMillis))});
            if (!reply.isEmpty() && Long.valueOf(1).equals(reply.get(0))) {
                enrolled++;
            }
        }
        return enrolled;
    }

    private byte[] touch(String segment, long ttl, Publication pub, boolean returnValue) {
        List<Object> reply = scripts.run(TOUCH, List.of(layout.entryKey(segment), layout.shadowKey(segment)),
                touchArguments(segment, ttl, pub, returnValue));
        Object value = reply.isEmpty() ? null : reply.get(0);
        return value instanceof byte[] bytes ? bytes : null;
    }

    private Map<String, byte[]> touchAll(Collection<String> segments, long ttl, Publication pub) {
        RBatch batch = redis.createBatch();
        Map<String, RFuture<List<Object>>> futures = new LinkedHashMap<>();
        for (String segment : segments) {
            futures.put(segment, scripts.queue(batch, TOUCH, List.of(layout.entryKey(segment), layout.shadowKey(segment)),
                    touchArguments(segment, ttl, pub, true)));
        }
        calls.call("touch pipeline", batch::execute);
        Map<String, byte[]> result = new HashMap<>();
        futures.forEach((segment, future) -> {
            List<Object> reply = future.toCompletableFuture().join();
            if (!reply.isEmpty() && reply.get(0) instanceof byte[] bytes) {
                result.put(segment, bytes);
            }
        });
        return result;
    }

    private static Object[] touchArguments(String segment, long ttl, Publication pub, boolean returnValue) {
        return new Object[] {ascii(Long.toString(ttl)), ascii(Long.toString(pub.shadowGraceMillis())),
            utf8(pub.channel()), utf8(segment), ascii(returnValue ? "1" : "0")};
    }

    private List<Object> keys(String segment, Publication pub) {
        String key = layout.entryKey(segment);
        return pub.tracksExpiry() ? List.of(key, layout.shadowKey(segment)) : List.of(key);
    }

    /** Runs conditional writes in one pipeline; results in the order of {@code mutations}. */
    public List<MutationResult> mutateAll(Map<String, Mutation> mutations) {
        if (mutations.isEmpty()) {
            return List.of();
        }
        RBatch batch = redis.createBatch();
        Publication pub = publication;
        List<RFuture<List<Object>>> futures = new ArrayList<>(mutations.size());
        mutations.forEach((segment, mutation) ->
                futures.add(scripts.queue(batch, MUTATE, keys(segment, pub), arguments(segment, mutation, pub))));
        calls.call("mutate pipeline", batch::execute);
        List<MutationResult> results = new ArrayList<>(futures.size());
        for (RFuture<List<Object>> future : futures) {
            results.add(toResult(future.toCompletableFuture().join()));
        }
        return results;
    }

    /** Stores all values with one TTL: MSET or a SET PX pipeline when nobody else listens. */
    public void putAll(Map<String, byte[]> values, long ttl) {
        if (values.isEmpty()) {
            return;
        }
        if (publication.isActive() || !(ttl == Ttl.ETERNAL || Ttl.isMillis(ttl))) {
            Map<String, Mutation> mutations = new LinkedHashMap<>();
            values.forEach((segment, value) -> mutations.put(segment, Mutation.put(value, ttl, ttl, false)));
            mutateAll(mutations);
            return;
        }
        if (ttl == Ttl.ETERNAL) {
            Map<String, Object> byKey = new HashMap<>(values.size() * 2);
            values.forEach((segment, value) -> byKey.put(layout.entryKey(segment), value));
            calls.call("MSET", () -> {
                redis.getBuckets(ByteArrayCodec.INSTANCE).set(byKey);
                return null;
            });
            return;
        }
        RBatch batch = redis.createBatch();
        values.forEach((segment, value) -> batch.getBucket(layout.entryKey(segment), ByteArrayCodec.INSTANCE)
                .setAsync(value, Duration.ofMillis(ttl)));
        calls.call("SET PX pipeline", batch::execute);
    }

    /** Removes the given entries; returns how many existed. */
    public long removeAll(Collection<String> segments) {
        if (segments.isEmpty()) {
            return 0;
        }
        if (publication.isActive()) {
            Map<String, Mutation> mutations = new LinkedHashMap<>();
            segments.forEach(segment -> mutations.put(segment, Mutation.remove(false)));
            return mutateAll(mutations).stream().filter(r -> r.outcome() == Outcome.DELETED).count();
        }
        String[] keys = segments.stream().map(layout::entryKey).toArray(String[]::new);
        return calls.call("DEL", () -> redis.getKeys().delete(keys));
    }

    /** Iterates over the encoded keys of the cache with SCAN, {@code batchSize} keys per call. */
    public Iterator<String> scan(int batchSize) {
        Iterator<String> keys = calls.call("SCAN", () -> redis.getKeys()
                .getKeys(KeysScanOptions.defaults().pattern(layout.scanPattern()).chunkSize(batchSize)).iterator());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return calls.call("SCAN", keys::hasNext);
            }

            @Override
            public String next() {
                return layout.keySegment(keys.next());
            }
        };
    }

    /** Deletes every entry of the cache (SCAN + UNLINK in batches), without events; returns the count. */
    public long clear(int batchSize) {
        long removed = unlinkMatching(layout.scanPattern(), batchSize);
        if (publication.tracksExpiry()) {
            // a shadow copy left behind would later be reported as an expired entry
            unlinkMatching(layout.shadowScanPattern(), batchSize);
        }
        return removed;
    }

    private long unlinkMatching(String pattern, int batchSize) {
        long removed = 0;
        Iterator<String> keys = calls.call("SCAN", () -> redis.getKeys()
                .getKeys(KeysScanOptions.defaults().pattern(pattern).chunkSize(batchSize)).iterator());
        List<String> batch = new ArrayList<>(batchSize);
        while (calls.call("SCAN", keys::hasNext)) {
            batch.add(keys.next());
            if (batch.size() == batchSize) {
                removed += unlink(batch);
                batch.clear();
            }
        }
        return removed + unlink(batch);
    }

    private long unlink(List<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        String[] array = keys.toArray(String[]::new);
        return calls.call("UNLINK", () -> redis.getKeys().unlink(array));
    }

    private RBucket<byte[]> bucket(String segment) {
        return redis.getBucket(layout.entryKey(segment), ByteArrayCodec.INSTANCE);
    }

    private Object[] arguments(String segment, Mutation m, Publication pub) {
        return new Object[] {
            ascii(m.precondition.code),
            m.expected == null ? EMPTY : m.expected,
            ascii(m.delete ? "d" : "s"),
            m.value == null ? EMPTY : m.value,
            ascii(Long.toString(m.absentTtl)),
            ascii(Long.toString(m.presentTtl)),
            ascii(m.returnPrevious ? "1" : "0"),
            utf8(pub.channel()),
            utf8(pub.origin()),
            utf8(pub.isActive() ? segment : ""),
            ascii(pub.withValues() ? "1" : "0"),
            ascii(Long.toString(pub.shadowGraceMillis())),
        };
    }

    private static MutationResult toResult(List<Object> reply) {
        Outcome outcome = Outcome.ofScriptStatus((Long) reply.get(0));
        Object previous = reply.size() > 1 ? reply.get(1) : null;
        return new MutationResult(outcome, previous instanceof byte[] bytes ? bytes : null);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
