package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.succeeds;
import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisSentinel;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.RedissonYaml;
import java.net.URI;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Sentinel promotes the replica of a master and back ({@code SENTINEL FAILOVER}), as operators
 * and real crashes do, while two instances configured with {@code sentinelServersConfig} use the
 * caches: calls reach the new master once the client has caught up, acknowledged writes survive,
 * a near cache serves nothing it held from before the change once it has read a newer value,
 * and another instance's listener hears the writes made after the failover.
 */
class SentinelFailoverFaultTests {

    @AutoClose
    final Instances instances = new Instances();

    @Test
    void afterASentinelFailoverCallsReachTheNewMasterAndNothingOldIsServed() throws InterruptedException {
        try (RedisServer first = RedisServer.start();
             RedisServer second = RedisServer.startReplicaOf(first);
             RedisSentinel sentinel = RedisSentinel.monitoring(first, "jcache-test")) {
            sentinel.awaitReplicas(1);
            URI config = RedissonYaml.sentinel(sentinel).provider("namespace", instances.namespace()).write();
            CacheManager writer = instances.add(new RedisCachingProvider()
                    .getCacheManager(config, getClass().getClassLoader()));
            CacheManager listening = instances.add(new RedisCachingProvider()
                    .getCacheManager(config, getClass().getClassLoader()));
            Cache<String, String> prices = writer.createCache("prices",
                    new RedisCacheConfiguration<String, String>().nearCache(1_000, null).setTypes(String.class, String.class));
            MutableConfiguration<String, String> plain = new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class);
            Cache<String, String> events = writer.createCache("events", plain);
            EventRecorder heard = EventRecorder.register(listening.createCache("events", plain), false);

            prices.put("k", "before");
            assertEquals("before", prices.get("k")); // held in the near cache now
            events.put("e", "before");
            assertEquals("CREATED e null->before", heard.next(10));
            events.put("kept", "kept");
            assertEquals("CREATED kept null->kept", heard.next(10));
            second.awaitInSync(Duration.ofSeconds(10));

            sentinel.failover();
            // until the old master is a replica too, it takes writes (Sentinel does not pause it as CLUSTER
            // FAILOVER does), and they are lost when it becomes one: Redis' limit, stated in the README
            until(() -> sentinel.masterPort() == second.port() && second.role().equals("master")
                    && first.role().equals("slave"), Duration.ofSeconds(30));
            // changed on the new master by someone else: the old copy must not be served once the change is read
            second.call("SET", instances.namespace() + ":prices:k", "\"after\"");

            until(() -> succeeds(() -> prices.put("written", "after")), Duration.ofSeconds(30));
            assertEquals("\"after\"", second.call("GET", instances.namespace() + ":prices:written"),
                    "the write went to the new master");
            until(() -> "after".equals(readOrNull(prices, "k")), Duration.ofSeconds(15));
            for (int i = 0; i < 20; i++) {
                assertNotEquals("before", prices.get("k"), "the near cache served the value from before the failover");
            }

            int[] probes = {0};
            until(() -> { // once the other instance has subscribed again, it hears every write
                events.put("probe", Integer.toString(++probes[0]));
                return heard.drain().stream().anyMatch(event -> event.contains(" probe "));
            }, Duration.ofSeconds(30));
            events.put("e", "after");
            String event;
            do {
                event = heard.next(10);
            } while (event.contains(" probe "));
            assertEquals("UPDATED e before->after", event, "the other instance hears writes after the failover");
            assertEquals("kept", second.call("GET", instances.namespace() + ":events:kept").toString().replace("\"", ""),
                    "a write acknowledged before the failover is on the new master");
        }
    }

    private static String readOrNull(Cache<String, String> cache, String key) {
        try {
            return cache.get(key);
        } catch (CacheException stillFailingOver) {
            return null;
        }
    }
}
