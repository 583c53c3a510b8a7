package io.github.jcacheredis.store;

import io.github.jcacheredis.near.NearCache;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/** What the command classes of one cache share: the client, the key layout, calls and scripts. */
final class StoreContext {

    final RedissonClient redis;
    final KeyLayout layout;
    final RedisCalls calls;
    final ScriptRunner scripts;
    /** The cache's local tier, or null when it has none. */
    final NearCache near;
    private volatile Publication publication = Publication.NONE;

    StoreContext(RedissonClient redis, KeyLayout layout, RedisCalls calls, NearCache near) {
        this.redis = redis;
        this.layout = layout;
        this.calls = calls;
        this.scripts = new ScriptRunner(redis);
        this.near = near;
    }

    /** Drops written keys from the local tier (after the write, so a read in flight cannot refill it). */
    void invalidate(Collection<String> segments) {
        if (near != null) {
            segments.forEach(near::invalidate);
        }
    }

    void invalidate(String segment) {
        if (near != null) {
            near.invalidate(segment);
        }
    }

    /** Empties the local tier, if any. */
    void invalidateAll() {
        if (near != null) {
            near.invalidateAll();
        }
    }

    /** True when the cache has a local tier and it may be used: not while Redis is unreachable. */
    boolean nearUsable() {
        return near != null && !calls.isDown();
    }

    Publication publication() {
        return publication;
    }

    void publishTo(Publication publication) {
        this.publication = publication;
    }

    RBucket<byte[]> bucket(String segment) {
        return redis.getBucket(layout.entryKey(segment), ByteArrayCodec.INSTANCE);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] ascii(long number) {
        return ascii(Long.toString(number));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
