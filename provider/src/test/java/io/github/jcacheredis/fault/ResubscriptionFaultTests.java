package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.LocalTier;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pub/sub connection that carries a near cache's invalidations and other instances' events can
 * drop at any time. A cache created right after it dropped must still subscribe (the subscription
 * is retried until the connection is back, within a few seconds); and while a near cache's
 * subscription is down, invalidations published meanwhile are lost, so the near cache must be
 * neither served nor filled until it is subscribed again.
 */
class ResubscriptionFaultTests {

    private static final String CACHE = "prices";

    private final Instances instances = new Instances();
    private final RedisServer redis = RedisServer.start();

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    @Test
    void aNearCacheCreatedRightAfterThePubSubConnectionDroppedIsCreated() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            CacheManager manager = instances.open(URI.create(redis.uri()), Instances.NEAR_CACHE_PUBLISHED);
            redis.killClients(RedisServer.ClientType.PUBSUB);
            Cache<String, Long> cache = manager.createCache(CACHE + attempt, config());
            assertNotNull(cache, "attempt " + attempt);
        }
    }

    @Test
    void aListenerRegisteredRightAfterThePubSubConnectionDroppedHearsOtherInstances() throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            Cache<String, Long> writer = instances.open(URI.create(redis.uri()), Map.of())
                    .createCache(CACHE + attempt, config());
            Cache<String, Long> listening = instances.open(URI.create(redis.uri()), Map.of())
                    .createCache(CACHE + attempt, config());
            redis.killClients(RedisServer.ClientType.PUBSUB);
            EventRecorder recorder = EventRecorder.register(listening, false);
            writer.put("k", (long) attempt);
            assertEquals("CREATED k null->" + attempt, recorder.next(5), "attempt " + attempt);
        }
    }

    @Test
    void aNearCacheIsNeitherServedNorFilledWhileItsSubscriptionIsDown() {
        Cache<String, Long> writer = instances.open(URI.create(redis.uri()), Map.of()).createCache(CACHE, config());
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            Cache<String, Long> near = instances.open(URI.create(proxy.uri()), Instances.NEAR_CACHE_PUBLISHED)
                    .createCache(CACHE, config());
            near.put("k", 0L); // its own write: no invalidation in flight that could keep the read from filling
            assertEquals(0L, near.get("k")); // held locally now

            proxy.refuseConnections(true); // the subscription cannot come back until the network does
            proxy.cut("SUBSCRIBE");
            writer.put("k", 1L); // its invalidation is lost: nobody at the near cache's end listens
            // the instance learns of the drop on its I/O thread a moment after the cut; a write in
            // that moment is the case the README says a near cache cannot cover
            Await.until("the near cache stops serving what it held once it notices the drop", Duration.ofSeconds(5),
                    () -> Long.valueOf(1L).equals(near.get("k")));
            readsEveryWriteWhileDownAndOnceBack(writer, near, proxy, 50);
            writer.put("k", 4L);
            Await.until("invalidations reach it again", Duration.ofSeconds(2),
                    () -> Long.valueOf(4L).equals(near.get("k")));
        }
    }

    /**
     * The client reports a lost connection to a server only once until one to it connects again:
     * a data connection dropped first (and the instance found its subscription intact), then the
     * subscription, while no new connection can be made. The second drop goes unreported, so the
     * near cache must find out by itself that its invalidations stopped arriving.
     */
    @Test
    void aSubscriptionLostAfterAnotherConnectionOfTheSameServerIsFoundOut() {
        Cache<String, Long> writer = instances.open(URI.create(redis.uri()), Map.of()).createCache(CACHE, config());
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            Cache<String, Long> near = instances.open(URI.create(proxy.uri()), Instances.NEAR_CACHE_PUBLISHED)
                    .createCache(CACHE, config());
            near.put("k", 0L);
            LocalTier.awaitServedLocally(redis, near, "k", 0L);

            proxy.refuseConnections(true); // nothing reconnects, so the client reports no further drop
            assertTrue(proxy.cut(instances.namespace() + ":" + CACHE + ":k") >= 1, "a data connection");
            LocalTier.awaitServedLocally(redis, near, "k", 0L); // the probe came back: the subscription is intact
            proxy.cut("SUBSCRIBE");
            writer.put("k", 1L); // its invalidation is lost
            Await.until("the near cache stops serving what it held once its invalidations stopped", Duration.ofSeconds(10),
                    () -> !Long.valueOf(0L).equals(near.get("k")));
            readsEveryWriteWhileDownAndOnceBack(writer, near, proxy, 20);
        }
    }

    @Test
    void aWriterThatMayHaveMissedARegistrationPublishesItsWrites() {
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            Cache<String, Long> writer = instances.open(URI.create(proxy.uri()), Map.of()).createCache(CACHE, config());
            writer.put("k", 0L);
            proxy.refuseConnections(true);
            proxy.cut("SUBSCRIBE"); // the writer hears no announcement until it is subscribed again

            Cache<String, Long> near = instances.open(URI.create(redis.uri()), Instances.NEAR_CACHE_PUBLISHED)
                    .createCache(CACHE, config()); // nobody else hears it: confirmed at once
            assertEquals(0L, near.get("k"));
            writer.put("k", 1L);
            Await.until("the near cache reads the writer's write", Duration.ofSeconds(2),
                    () -> Long.valueOf(1L).equals(near.get("k")));

            proxy.refuseConnections(false);
            Await.until("the writer hears of the near cache again and publishes to it", Duration.ofSeconds(10), () -> {
                writer.put("k", 2L);
                return Long.valueOf(2L).equals(near.get("k"));
            });
        }
    }

    /**
     * Once the near cache knows its subscription is down: k = 2 is written (its invalidation is
     * lost, after the drop was noticed) and every one of {@code reads} reads answers it; then
     * connections can be made again, k = 3 is written, and the near cache reads it once subscribed.
     */
    private static void readsEveryWriteWhileDownAndOnceBack(Cache<String, Long> writer, Cache<String, Long> near,
                                                            TcpProxy proxy, int reads) {
        writer.put("k", 2L);
        for (int read = 0; read < reads; read++) {
            assertEquals(2L, near.get("k"), "read " + read + " while the subscription is down");
        }
        proxy.refuseConnections(false);
        writer.put("k", 3L);
        Await.until("the near cache reads the latest write once subscribed again", Duration.ofSeconds(10),
                () -> Long.valueOf(3L).equals(near.get("k")));
    }

    private static MutableConfiguration<String, Long> config() {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class);
    }
}
