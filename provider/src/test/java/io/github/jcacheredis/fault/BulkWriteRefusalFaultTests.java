package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bulk write that Redis refuses without running it (READONLY: the manager's server has become
 * a replica, as an old master does in a failover until the client knows the new one) is sent
 * again once, as a single write is, and then fails alone: it reports the refusal, not an unknown
 * outcome, and the manager does not take Redis for unreachable, so the next calls reach it.
 */
class BulkWriteRefusalFaultTests {

    private static RedisServer redis;
    private static RedisServer otherMaster;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        otherMaster = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        otherMaster.close();
        redis.close();
    }

    /**
     * putAll under a TTL policy is a pipeline of SETs; removeAll while a listener listens is a
     * pipeline of write scripts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"putAll", "removeAll"})
    void aBulkWriteRefusedAsReadOnlyFailsAloneAndLeavesRedisReachable(String write) throws Exception {
        RedisCacheManager manager = instances.open(URI.create(redis.uri()), Map.of("timeout", "1000"))
                .unwrap(RedisCacheManager.class);
        Cache<String, String> cache = manager.createCache(write, new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10))));
        if (write.equals("removeAll")) {
            EventRecorder.register(cache, false);
        }
        Runnable bulk = write.equals("putAll") ? () -> cache.putAll(Map.of("a", "1", "b", "2"))
                : () -> cache.removeAll(Set.of("a", "b"));

        redis.call("REPLICAOF", otherMaster.host(), String.valueOf(otherMaster.port()));
        try {
            CacheException refused = assertThrows(CacheException.class, bulk::run);
            assertTrue(String.valueOf(refused).contains("READONLY"), String.valueOf(refused));
            assertFalse(refused.getMessage().contains("unknown"), "a refused write did not run: " + refused.getMessage());
            assertTrue(manager.unreachableSince().isEmpty(), "a refusal does not make Redis unreachable");
            assertEquals(null, cache.get("a"), "a read after the refusal reaches Redis");
        } finally {
            redis.call("REPLICAOF", "NO", "ONE");
        }
        cache.putAll(Map.of("a", "1", "b", "2"));
        bulk.run();
        assertEquals(write.equals("putAll") ? "1" : null, cache.get("a"));
    }
}
