package io.github.jcacheredis.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.Redisson;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * The floor: plain Redisson buckets holding the same JSON bytes this project's provider stores,
 * one key per entry, with none of JCache's semantics. Each operation is the least a Redisson-based
 * provider has to do: one GET or SET (MGET / MSET for the bulk calls, GETEX for the access-expiry
 * read, a GET then a SET for increment, which is therefore not atomic), plus the JSON mapping by a
 * plain Jackson {@link ObjectMapper}. Its single-key commands go one per call, or naturally
 * batched ({@link NaturallyBatchedCommands}).
 */
final class RawRedissonTarget implements Target {

    /** How the single-key commands of {@code get}, {@code put} and their kin reach Redis. */
    interface SingleKeyCommands {
        byte[] get(String name);

        void set(String name, byte[] value);

        byte[] getAndExpire(String name, Duration ttl);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ACCESS_TTL = Duration.ofMinutes(10);
    /** The batch sizes of this project's iterator and clear(), so the floors are comparable. */
    private static final int SCAN_BATCH = 100;
    private static final int DELETE_BATCH = 500;

    private final RedissonClient redis;
    private final String plainPrefix;
    private final String expiringPrefix;
    private final SingleKeyCommands singles;

    /** @param batched whether concurrent single-key calls go as natural batches */
    RawRedissonTarget(Config config, String keyPrefix, boolean batched) {
        this.plainPrefix = keyPrefix + JCacheTarget.PLAIN + ":";
        this.expiringPrefix = keyPrefix + JCacheTarget.EXPIRING + ":";
        this.redis = Redisson.create(config);
        this.singles = batched ? new NaturallyBatchedCommands(redis) : new OnePerCall();
        try {
            deleteAll(plainPrefix);
            deleteAll(expiringPrefix);
        } catch (RuntimeException e) {
            redis.shutdown();
            throw e;
        }
    }

    @Override
    public Payload get(String key) {
        return decode(singles.get(plainPrefix + key));
    }

    @Override
    public void put(String key, Payload value) {
        singles.set(plainPrefix + key, encode(value));
    }

    @Override
    public Map<String, Payload> getAll(Set<String> keys) {
        String[] names = new String[keys.size()];
        int i = 0;
        for (String key : keys) {
            names[i++] = plainPrefix + key;
        }
        Map<String, byte[]> found = redis.getBuckets(ByteArrayCodec.INSTANCE).get(names);
        Map<String, Payload> result = new HashMap<>(found.size() * 2);
        found.forEach((name, bytes) -> result.put(name.substring(plainPrefix.length()), decode(bytes)));
        return result;
    }

    @Override
    public void putAll(Map<String, Payload> entries) {
        Map<String, Object> byName = new HashMap<>(entries.size() * 2);
        entries.forEach((key, value) -> byName.put(plainPrefix + key, encode(value)));
        redis.getBuckets(ByteArrayCodec.INSTANCE).set(byName);
    }

    @Override
    public Payload getFromExpiring(String key) {
        return decode(singles.getAndExpire(expiringPrefix + key, ACCESS_TTL));
    }

    @Override
    public void putAllExpiring(Map<String, Payload> entries) {
        RBatch batch = redis.createBatch();
        entries.forEach((key, value) -> batch.getBucket(expiringPrefix + key, ByteArrayCodec.INSTANCE)
                .setAsync(encode(value), ACCESS_TTL));
        batch.execute();
    }

    @Override
    public long increment(String key) {
        String name = plainPrefix + key;
        Payload current = decode(singles.get(name));
        Payload next = current == null ? Payload.of(key).incremented() : current.incremented();
        singles.set(name, encode(next));
        return next.counter();
    }

    /** SCAN of the key prefix, then one MGET per batch of keys, as this project's iterator does. */
    @Override
    public long iterate() {
        long count = 0;
        Iterator<String> names = scan(plainPrefix, SCAN_BATCH);
        List<String> batch = new ArrayList<>(SCAN_BATCH);
        while (names.hasNext()) {
            batch.add(names.next());
            if (batch.size() == SCAN_BATCH || !names.hasNext()) {
                Map<String, byte[]> values = redis.getBuckets(ByteArrayCodec.INSTANCE).get(batch.toArray(String[]::new));
                for (byte[] bytes : values.values()) {
                    if (decode(bytes) != null) {
                        count++;
                    }
                }
                batch.clear();
            }
        }
        return count;
    }

    @Override
    public void clear() {
        deleteAll(plainPrefix);
    }

    @Override
    public void close() {
        try {
            deleteAll(plainPrefix);
            deleteAll(expiringPrefix);
        } finally {
            redis.shutdown();
        }
    }

    /** Deletes the keys under {@code prefix} (SCAN + UNLINK in batches); nothing else is touched. */
    private void deleteAll(String prefix) {
        Iterator<String> names = scan(prefix, DELETE_BATCH);
        List<String> batch = new ArrayList<>(DELETE_BATCH);
        while (names.hasNext()) {
            batch.add(names.next());
            if (batch.size() == DELETE_BATCH || !names.hasNext()) {
                redis.getKeys().unlink(batch.toArray(String[]::new));
                batch.clear();
            }
        }
    }

    private Iterator<String> scan(String prefix, int chunkSize) {
        // the prefixes are made of letters, digits, '-' and ':', none of them special in a pattern
        return redis.getKeys().getKeys(KeysScanOptions.defaults().pattern(prefix + "*").chunkSize(chunkSize))
                .iterator();
    }

    private RBucket<byte[]> bucket(String name) {
        return redis.getBucket(name, ByteArrayCodec.INSTANCE);
    }

    /** One command per call, each on its own round trip. */
    private final class OnePerCall implements SingleKeyCommands {
        @Override
        public byte[] get(String name) {
            return bucket(name).get();
        }

        @Override
        public void set(String name, byte[] value) {
            bucket(name).set(value);
        }

        @Override
        public byte[] getAndExpire(String name, Duration ttl) {
            return bucket(name).getAndExpire(ttl);
        }
    }

    private static byte[] encode(Payload value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Payload decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readValue(bytes, Payload.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
