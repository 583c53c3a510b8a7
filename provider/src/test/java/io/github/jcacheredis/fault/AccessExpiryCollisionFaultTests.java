package io.github.jcacheredis.fault;

import static io.github.jcacheredis.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An access-expiry read right after this instance reset the TTL of the same key may skip the reset,
 * leaving the entry to expire at most the slack (a hundredth of the TTL, at most 1 s) early. Keys
 * whose strings share a hash code ("Aa" and "BB") are different entries: reading one must still
 * reset the other's TTL, or it expires as much as a whole TTL early.
 */
class AccessExpiryCollisionFaultTests {

    private static final long TTL_MILLIS = 100_000;
    private static final long SLACK_MILLIS = 1_000;

    @AutoClose
    final Instances instances = new Instances();
    private RedisServer redis;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    private long pttl(String key) {
        List<?> keys = (List<?>) redis.call("KEYS", instances.namespace() + ":tokens:*" + key + "*");
        assertEquals(1, keys.size(), "the entry key of " + key + ": " + keys);
        return Long.parseLong(String.valueOf(redis.call("PTTL", String.valueOf(keys.get(0)))));
    }

    @Test
    void readingAKeyRightAfterAnotherKeyWithTheSameHashCodeStillResetsItsTtl() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        Cache<String, String> cache = instances.open(URI.create(redis.uri()), Map.of("batching", "false"))
                .createCache("tokens", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(
                                new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, TTL_MILLIS))));
        cache.put("BB", "b");
        cache.put("Aa", "a");
        until("BB's TTL has run for 3 s", Duration.ofSeconds(10), () -> pttl("BB") < TTL_MILLIS - 3_000);

        assertEquals("a", cache.get("Aa")); // a GETEX: resets Aa's TTL
        assertEquals("b", cache.get("BB")); // must reset BB's TTL too (at most the slack early)
        long left = pttl("BB");
        assertTrue(left > TTL_MILLIS - SLACK_MILLIS - 500, "BB expires " + (TTL_MILLIS - left)
                + " ms early after it was read, more than the " + SLACK_MILLIS + " ms slack: PTTL " + left);
    }
}
