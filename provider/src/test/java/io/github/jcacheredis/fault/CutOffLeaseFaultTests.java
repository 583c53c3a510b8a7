package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.jcacheredis.support.EventChannelWatch;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.LocalTier;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An instance whose near cache follows published invalidations, cut off from Redis by a network
 * path gone silent (the proxy holds every byte; the instance keeps running, unlike a frozen one)
 * for longer than its registration's lease. The others drop it and stop publishing to it; it must
 * stop serving what it holds locally by then, and serve nothing from before once the path is back.
 */
class CutOffLeaseFaultTests {

    private static final String CACHE = "prices";

    private static RedisServer redis;
    private static TcpProxy proxy;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        proxy = TcpProxy.inFrontOf(redis);
    }

    @AfterAll
    static void stopRedis() {
        proxy.close();
        redis.close();
    }

    @Test
    void aNearCacheCutOffPastItsLeaseServesNothingWrittenOverMeanwhile() throws Exception {
        Map<String, String> settings = new HashMap<>(Instances.NEAR_CACHE_PUBLISHED);
        settings.put("timeout", "500");
        Cache<String, String> cutOff = instances.open(URI.create(proxy.uri()), settings).createCache(CACHE, config());
        Cache<String, String> writer = instances.open(URI.create(redis.uri()), Map.of()).createCache(CACHE, config());
        cutOff.put("k", "before");
        LocalTier.awaitServedLocally(redis, cutOff, "k", "before");

        try (EventChannelWatch watch = new EventChannelWatch(redis, instances.namespace(), CACHE)) {
            proxy.freeze();
            try {
                // writes to another key show when the writer has dropped the cut-off instance
                AtomicInteger probes = new AtomicInteger();
                Await.until("the writer's writes stop publishing to the cut-off instance", Duration.ofSeconds(60),
                        () -> !watch.publishes(() -> writer.put("probe", Integer.toString(probes.incrementAndGet()))));
                writer.put("k", "while cut off"); // published to nobody
                for (int i = 0; i < 3; i++) {
                    assertNotEquals("before", readOrFailure(cutOff), "read " + i + " while cut off, past the lease");
                }
            } finally {
                proxy.thaw();
            }
            Await.until("the cut-off instance reads the write made meanwhile", Duration.ofSeconds(15), () -> {
                String read = readOrFailure(cutOff);
                assertNotEquals("before", read, "served the value from before the cut again");
                return "while cut off".equals(read);
            });
        }
    }

    /**
     * The network path goes silent with three near caches held locally: the instance's heartbeat
     * then waits on Redis for timeouts (a lease renewal per cache), and the check of its
     * subscriptions must not wait behind it. Within 6 s of the silence, none of them serves what
     * another instance has replaced meanwhile.
     */
    @Test
    void aSilentSubscriptionIsFoundOutWhileTheHeartbeatWaitsOnRedis() {
        Map<String, String> settings = new HashMap<>(Instances.NEAR_CACHE_PUBLISHED);
        settings.put("timeout", "1000");
        var cutOffManager = instances.open(URI.create(proxy.uri()), settings);
        var writerManager = instances.open(URI.create(redis.uri()), Map.of());
        List<Cache<String, String>> cutOff = new ArrayList<>();
        List<Cache<String, String>> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            cutOff.add(cutOffManager.createCache(CACHE + i, config()));
            writers.add(writerManager.createCache(CACHE + i, config()));
            cutOff.get(i).put("k", "before");
            LocalTier.awaitServedLocally(redis, cutOff.get(i), "k", "before");
        }
        proxy.freeze();
        try {
            writers.forEach(writer -> writer.put("k", "after")); // invalidations that wait in the proxy
            // found out within about 3 s; the old check, behind three renewals that each waited for a
            // timeout on the heartbeat thread, took longer than 5 s
            Await.until("no near cache serves what was replaced", Duration.ofSeconds(6),
                    () -> cutOff.stream().noneMatch(cache -> "before".equals(readOrFailure(cache))));
        } finally {
            proxy.thaw();
        }
    }

    /** The value read, or "failed: ..." when the read threw. */
    private static String readOrFailure(Cache<String, String> cache) {
        try {
            return cache.get("k");
        } catch (CacheException e) {
            return "failed: " + e.getMessage();
        }
    }

    private static MutableConfiguration<String, String> config() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }
}
