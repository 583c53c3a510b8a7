package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pub/sub connection that carries a near cache's invalidations and other instances' events can
 * drop at any time. A cache created right after it dropped must still subscribe: the subscription
 * is retried until the connection is back, within a few seconds.
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

    private static MutableConfiguration<String, Long> config() {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class);
    }
}
