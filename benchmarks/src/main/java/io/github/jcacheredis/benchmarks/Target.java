package io.github.jcacheredis.benchmarks;

import io.github.jcacheredis.store.BatchSizes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.redisson.config.Config;

/**
 * One way of keeping the benchmark's entries in Redis. Each target holds two caches of
 * {@link Payload}s by String key: a plain one, and one whose entries expire 10 minutes after
 * their last access. Every benchmark operation is one call of this interface.
 */
interface Target extends AutoCloseable {

    /** The names the benchmarks select targets by, in the order reports list them. */
    String JCACHE_REDIS = "jcache-redis";
    String REDISSON_JCACHE = "redisson-jcache";
    String REDISSON_RAW = "redisson-raw";
    /** Raw Redisson with natural batching of single-key calls and nothing else: the approach's ceiling. */
    String REDISSON_BATCHED = "redisson-batched";
    /** This project's provider with a near cache (local tier) on both caches. */
    String JCACHE_REDIS_NEAR = "jcache-redis-near";

    Payload get(String key);

    void put(String key, Payload value);

    Map<String, Payload> getAll(Set<String> keys);

    void putAll(Map<String, Payload> entries);

    /** A read from the access-expiry cache, which restarts the entry's 10 minutes. */
    Payload getFromExpiring(String key);

    void putAllExpiring(Map<String, Payload> entries);

    /** Adds one to the entry's counter (read, modify, write) and returns the new count. */
    long increment(String key);

    /** Reads every entry of the plain cache; returns how many there were. */
    long iterate();

    /** Removes every entry of the plain cache. */
    void clear();

    /**
     * How many commands the round trips of single-entry calls carried so far (this project's
     * provider batches concurrent calls); empty for targets that do not count them.
     */
    default Optional<BatchSizes.Snapshot> batchSizes() {
        return Optional.empty();
    }

    /** Removes everything the target wrote to Redis and closes its client. */
    @Override
    void close();

    /** Connects the target named {@code name} to {@code redis}, with both of its caches empty. */
    static Target open(String name, RedisEndpoint redis) {
        return switch (name) {
            // the namespace in the URI prefixes every key: jcache-redis-bench:payloads:key-00042
            case JCACHE_REDIS -> JCacheTarget.open("io.github.jcacheredis.RedisCachingProvider",
                    redis.jcacheRedisUri(), "");
            // one Redis hash per cache, named after it
            case REDISSON_JCACHE -> JCacheTarget.open("org.redisson.jcache.JCachingProvider",
                    redis.redissonYamlFile().toUri(), RedisEndpoint.NAMESPACE + "-redisson:");
            case REDISSON_RAW -> new RawRedissonTarget(redis.redissonConfig(), RedisEndpoint.NAMESPACE + "-raw:", false);
            case REDISSON_BATCHED -> {
                Config config = redis.redissonConfig();
                config.setReferenceEnabled(false); // as the provider's own clients
                yield new RawRedissonTarget(config, RedisEndpoint.NAMESPACE + "-batched:", true);
            }
            case JCACHE_REDIS_NEAR -> JCacheTarget.openWithNearCache(redis.jcacheRedisUri());
            default -> throw new IllegalArgumentException("unknown target '" + name + "'; known: "
                    + String.join(", ", JCACHE_REDIS, REDISSON_JCACHE, REDISSON_RAW, REDISSON_BATCHED, JCACHE_REDIS_NEAR));
        };
    }
}
