package io.github.jcacheredis.fault;

import static io.github.jcacheredis.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An access-expiry read within the slack (a hundredth of the TTL, at most 1 s) of this instance's
 * own reset of the key leaves its TTL as it is, so the entry expires at most that slack early. The
 * slack counts from a reset that Redis certainly ran at or after the moment counted from: not from
 * when its reply came, which the network may hold for longer than the slack, and not from a read
 * that never reached Redis. The instance reaches Redis through a proxy; the test reads the TTL
 * directly.
 */
class AccessExpirySlackFaultTests {

    private static final long TTL_MILLIS = 100_000;
    private static final long SLACK_MILLIS = 1_000;
    /** How long the network holds the reply of a reset, or the server stays out of reach: well past the slack. */
    private static final long HELD_MILLIS = 3_500;

    @AutoClose
    final Instances instances = new Instances();
    private RedisServer redis;
    private TcpProxy proxy;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        proxy = TcpProxy.inFrontOf(redis);
    }

    @AfterEach
    void stop() {
        instances.close();
        proxy.close();
        redis.close();
    }

    /**
     * The reply of a read that reset the TTL reaches the instance long after Redis ran it: a read
     * right after that reply must reset the TTL again, or the entry would expire as much earlier
     * than its last access allows as the reply was late.
     */
    @Test
    void theSlackCountsFromWhenTheResetWasSentNotFromItsLateReply() throws Exception {
        Cache<String, String> cache = cache(Map.of("timeout", String.valueOf(3 * HELD_MILLIS)));
        cache.put("k", "v");
        String key = entryKey("k");

        TcpProxy.Hold reply = proxy.holdReply(key);
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> cache.get("k"));
        reply.awaitHeld(Duration.ofSeconds(5));
        until("Redis reset the TTL " + HELD_MILLIS + " ms ago, its reply still held", Duration.ofSeconds(10),
                () -> pttl(key) < TTL_MILLIS - HELD_MILLIS);
        reply.release();
        assertEquals("v", read.get(10, TimeUnit.SECONDS));

        assertEquals("v", cache.get("k")); // accessed now: the entry must live a TTL from here, less the slack
        assertLivesFromNow(key);
    }

    /**
     * With {@code failure-mode=degrade}, reads made while Redis is out of reach answer misses and
     * reset nothing: the first read once it is back must reset the TTL, however soon after them.
     */
    @Test
    void readsThatNeverReachedRedisDoNotCountAsResets() {
        Cache<String, String> cache = cache(Map.of("failure-mode", "degrade", "timeout", "300"));
        RedisCacheManager manager = cache.getCacheManager().unwrap(RedisCacheManager.class);
        cache.put("k", "v");
        String key = entryKey("k");
        until("k's TTL has run for " + HELD_MILLIS + " ms", Duration.ofSeconds(10),
                () -> pttl(key) < TTL_MILLIS - HELD_MILLIS);

        proxy.freeze();
        try {
            assertNull(cache.get("other"), "a read that finds Redis out of reach answers a miss");
            assertTrue(manager.unreachableSince().isPresent(), "Redis taken for unreachable");
            assertNull(cache.get("k"), "a read while Redis is taken for unreachable answers a miss");
        } finally {
            proxy.thaw();
        }
        String value;
        do {
            value = cache.get("k"); // misses until the probe finds Redis back; the first read after is a hit
        } while (value == null && manager.unreachableSince().isPresent());
        if (value == null) {
            value = cache.get("k");
        }
        assertEquals("v", value);
        assertLivesFromNow(key);
    }

    private Cache<String, String> cache(Map<String, String> settings) {
        return instances.open(URI.create(proxy.uri()), settings).createCache("tokens",
                new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(
                                new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, TTL_MILLIS))));
    }

    private String entryKey(String key) {
        return instances.namespace() + ":tokens:" + key;
    }

    private long pttl(String key) {
        return Long.parseLong(String.valueOf(redis.call("PTTL", key)));
    }

    /** The entry, just read, expires no earlier than a TTL from now less the slack (and a margin for this check). */
    private void assertLivesFromNow(String key) {
        long left = pttl(key);
        assertTrue(left > TTL_MILLIS - SLACK_MILLIS - 500, "the entry expires " + (TTL_MILLIS - left)
                + " ms before a TTL from its last access, more than the " + SLACK_MILLIS + " ms slack: PTTL " + left);
    }
}
