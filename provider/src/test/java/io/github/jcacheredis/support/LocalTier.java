package io.github.jcacheredis.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.testsupport.RedisServer;
import java.time.Duration;
import java.util.Objects;
import javax.cache.Cache;

/**
 * Whether a near cache serves a key from its local tier, told by Redis' own command counts: a test
 * of what a near cache must never serve holds only if the value was held locally to begin with
 * (the tier is used only once the instance has read who listens and its invalidations are confirmed).
 */
public final class LocalTier {

    private static final String[] READS = {"get", "mget", "pttl", "getex", "evalsha", "eval"};

    private LocalTier() {
    }

    /** Reads {@code key} twice, expecting {@code value}; true when the second read reached no read command on {@code redis}. */
    public static <V> boolean servesLocally(RedisServer redis, Cache<String, V> cache, String key, V value) {
        assertEquals(value, cache.get(key));
        long reads = redis.commandCalls(READS);
        V again = cache.get(key);
        return Objects.equals(value, again) && redis.commandCalls(READS) == reads;
    }

    /** Waits, up to 10 s, until {@code cache} serves {@code key} with {@code value} from its local tier. */
    public static <V> void awaitServedLocally(RedisServer redis, Cache<String, V> cache, String key, V value) {
        Await.until(() -> servesLocally(redis, cache, key, value), Duration.ofSeconds(10));
    }
}
