package io.github.jcacheredis.fault;

import static io.github.jcacheredis.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance that missed another instance's withdrawal (its subscription to the control channel
 * was down) must not keep counting it once it has read the registry again: a new EXPIRED listener
 * there would otherwise skip deleting what an earlier tracking period left, and an entry removed
 * while nobody tracked expiry would be reported as EXPIRED.
 */
class MissedWithdrawalFaultTests {

    private static final long TTL_MILLIS = 6_000;

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

    private List<?> shadowsOf(String key) {
        return (List<?>) redis.call("KEYS", instances.namespace() + ":%shadow:sessions:*" + key);
    }

    private long subscribedClients() {
        String list = String.valueOf(redis.call("CLIENT", "LIST"));
        return list.lines().filter(line -> !line.contains(" sub=0 psub=0")).count();
    }

    @Test
    void anEntryRemovedWhileNobodyTrackedIsNotReportedExpiredAfterAMissedWithdrawal() throws Exception {
        Map<String, String> settings = Map.of("timeout", "1000");
        Cache<String, String> a = ExpiryFaultTests.sessions(instances.open(URI.create(proxy.uri()), settings),
                TTL_MILLIS);
        Cache<String, String> b = ExpiryFaultTests.sessions(instances.open(URI.create(redis.uri()), settings),
                TTL_MILLIS);
        Cache<String, String> c = ExpiryFaultTests.sessions(instances.open(URI.create(redis.uri()), settings),
                TTL_MILLIS);
        // A registers (without EXPIRED), so that its renewals show when its heartbeat runs
        a.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(CreatedOnly.class), null, false, false));
        EventRecorder onB = EventRecorder.register(b, false); // B tracks expiry: everyone keeps due times
        c.put("k", "v");
        assertEquals(1, shadowsOf("k").size(), "k's shadow copy while B tracks expiry");

        long subscribed = subscribedClients();
        proxy.refuseConnections(true);
        assertTrue(proxy.cut("SUBSCRIBE") > 0);
        until("A's subscriptions are gone", Duration.ofSeconds(10), () -> subscribedClients() < subscribed);
        b.deregisterCacheEntryListener(onB.configuration()); // B withdraws; A does not hear it, C does
        proxy.refuseConnections(false);

        int[] probe = {0};
        until("C stops keeping shadow copies", Duration.ofSeconds(10), () -> {
            String key = "p" + ++probe[0];
            c.put(key, "v");
            return shadowsOf(key).isEmpty();
        });
        c.remove("k"); // nobody tracks, as C knows: k's shadow copy and due time stay
        assertEquals(1, shadowsOf("k").size(), "k's shadow copy left by the earlier tracking period");

        // A's heartbeat reads the registry (without B) right after renewing A's registration
        String registry = instances.namespace() + ":%listeners";
        String before = String.valueOf(redis.call("HVALS", registry));
        until("A renews its registration", Duration.ofSeconds(10),
                () -> !String.valueOf(redis.call("HVALS", registry)).equals(before));
        until("A subscribes again", Duration.ofSeconds(20), () -> subscribedClients() >= subscribed);
        Thread.sleep(1_000); // the registry read follows the renewal on the heartbeat thread (no sign of it to await)

        EventRecorder onA = EventRecorder.register(a, false); // A now tracks expiry, believing nobody else does
        c.put("marker", "m"); // due after k would have been
        // the probes written while C still tracked expiry do expire; k, due before the marker, was removed
        List<String> expired = new ArrayList<>();
        while (!expired.contains("EXPIRED marker m->m")) {
            expired.add(onA.next("EXPIRED", TTL_MILLIS / 1000 + 10));
        }
        assertEquals(List.of(), expired.stream().filter(event -> event.startsWith("EXPIRED k ")).toList(),
                "EXPIRED events A heard for k, which was removed, not expired (all: " + expired + ")");
    }

    /** A listener for CREATED only. */
    public static final class CreatedOnly implements CacheEntryCreatedListener<String, String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
        }
    }
}
