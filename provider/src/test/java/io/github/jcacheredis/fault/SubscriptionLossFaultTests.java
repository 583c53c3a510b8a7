package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.succeeds;
import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.ChildInstance;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An instance with a synchronous listener delivers its own events from its subscription to the
 * cache's channel. When that connection is killed, or the server restarts, writes must neither
 * hang nor lose or repeat events: each write still returns promptly, and each event reaches the
 * listener exactly once. A listener on another instance cannot hear what was published while its
 * own subscription was down (pub/sub keeps nothing); it is told so in the log, and hears every
 * event once again afterwards.
 */
class SubscriptionLossFaultTests {

    private RedisServer redis;
    private CacheManager manager;
    private Cache<String, String> cache;
    private EventRecorder recorder;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        Properties properties = new Properties();
        properties.setProperty("timeout", "500");
        manager = new RedisCachingProvider().getCacheManager(URI.create(redis.uri()), getClass().getClassLoader(),
                properties);
        cache = manager.createCache("events", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        recorder = EventRecorder.register(cache, true);
    }

    @AfterEach
    void stop() {
        manager.close();
        redis.close();
    }

    /**
     * A synchronous listener's events are delivered by the writing thread when they do not come
     * back within 2 s; an asynchronous listener's, by the next heartbeat after that (they were
     * lost before), so their order among themselves is not Redis' then.
     */
    @ParameterizedTest(name = "synchronous listener: {0}")
    @ValueSource(booleans = {true, false})
    void killingTheSubscriptionLosesAndRepeatsNoEvent(boolean synchronous) throws InterruptedException {
        if (!synchronous) {
            cache.deregisterCacheEntryListener(recorder.configuration());
            recorder = EventRecorder.register(cache, false);
        }
        cache.put("before", "0");
        assertEquals("CREATED before null->0", recorder.next(5));

        assertTrue(redis.killClients(RedisServer.ClientType.PUBSUB) > 0);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            cache.put("k" + i, "v");
            expected.add("CREATED k" + i + " null->v");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 3_000, "a put took " + millis + " ms while the subscription was gone");
        }
        cache.put("marker", "m");
        expected.add("CREATED marker null->m");

        List<String> received = new ArrayList<>(recorder.drain());
        if (synchronous) {
            if (!received.contains("CREATED marker null->m")) {
                received.addAll(recorder.until("CREATED marker null->m", 10));
            }
            assertEquals(expected, received, "every event once: synchronous listeners ran before each put returned");
        } else {
            while (received.size() < expected.size()) {
                received.add(recorder.next(10)); // within the 2 s wait and a 3 s heartbeat
            }
            assertEquals(new TreeSet<>(expected), new TreeSet<>(received), "every event");
            assertEquals(expected.size(), received.size(), "each once: " + received);
        }
        assertEquals(List.of(), recorder.drainAfter(synchronous ? 500 : 4_000), "no late copies");
    }

    /**
     * While the subscription stays down (no new connection can be made), only the first write with a
     * synchronous listener waits the 2 s for its events to come back; the writes after it deliver
     * theirs at once rather than each waiting in vain. An asynchronous listener's writes do not wait,
     * and the heartbeat delivers their events. Each event reaches the listener once.
     */
    @ParameterizedTest(name = "synchronous listener: {0}")
    @ValueSource(booleans = {true, false})
    void whileTheSubscriptionStaysDownWritesWaitOnceAndEveryEventArrivesOnce(boolean synchronous)
            throws InterruptedException {
        int writes = 6;
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            Properties properties = new Properties();
            properties.setProperty("timeout", "500");
            CacheManager cutOff = new RedisCachingProvider().getCacheManager(URI.create(proxy.uri()),
                    getClass().getClassLoader(), properties);
            try {
                Cache<String, String> behindProxy = cutOff.createCache("cut-off",
                        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
                EventRecorder heard = EventRecorder.register(behindProxy, synchronous);
                behindProxy.put("before", "0");
                assertEquals("CREATED before null->0", heard.next(5));

                proxy.refuseConnections(true); // the subscription cannot come back
                assertTrue(proxy.cut("SUBSCRIBE") > 0);
                List<String> expected = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < writes; i++) {
                    behindProxy.put("k" + i, "v");
                    expected.add("CREATED k" + i + " null->v");
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < 4_000, writes + " writes took " + millis + " ms while the subscription was down:"
                        + " more than the first waited for their events");

                List<String> received = new ArrayList<>(heard.drain());
                if (synchronous) {
                    assertEquals(expected, received, "every event once, before its write returned");
                } else {
                    while (received.size() < expected.size()) {
                        received.add(heard.next(10)); // within the 2 s wait and a 3 s heartbeat
                    }
                    assertEquals(new TreeSet<>(expected), new TreeSet<>(received), "every event");
                }
                proxy.refuseConnections(false);
                assertEquals(List.of(), heard.drainAfter(1_000), "no late copies");
            } finally {
                proxy.refuseConnections(false);
                cutOff.close();
            }
        }
    }

    @Test
    void eventsKeepComingAfterARestart() throws InterruptedException {
        cache.put("before", "0");
        assertEquals(List.of("CREATED before null->0"), recorder.drain());

        redis.restart();
        until(() -> succeeds(() -> cache.put("after", "1")));

        List<String> received = new ArrayList<>(recorder.drain());
        assertEquals(List.of("CREATED after null->1"), received, "the write after the restart was seen once");
        cache.put("after", "2");
        assertEquals(List.of("UPDATED after 1->2"), recorder.drain());
    }

    @Test
    void aListenerOnAnotherInstanceWhoseSubscriptionWasCutIsToldItMayHaveMissedEvents() throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis);
             ChildInstance listening = ChildInstance.start(URI.create(proxy.uri()), "jcache")) {
            listening.listen("events");
            cache.put("before", "0");
            assertHeard(listening, "before", "0");

            proxy.refuseConnections(true); // the subscription cannot come back at once
            assertTrue(proxy.cut("SUBSCRIBE") > 0);
            cache.put("gap", "1"); // published while nothing carries it to the other instance
            proxy.refuseConnections(false);

            int[] probes = {0};
            Await.until("the other instance hears events again", Duration.ofSeconds(20), () -> {
                cache.put("probe", Integer.toString(++probes[0]));
                try {
                    ChildInstance.Event event = listening.pollEvent(Duration.ofMillis(200));
                    return event != null && event.key().equals("probe");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the other instance logged that its listeners may have missed events", Duration.ofSeconds(10),
                    () -> listening.logged("was lost and is back: its listeners may have missed events"));
            cache.put("after", "2");
            assertHeard(listening, "after", "2");
            ChildInstance.Event extra = listening.pollEvent(Duration.ofMillis(500)); // a window for a copy to show
            assertTrue(extra == null || extra.key().equals("probe"), "heard again: " + extra);
        }
    }

    /** Polls the child's events, past probes, until the one that sets {@code key} to {@code value}; no other may come. */
    private static void assertHeard(ChildInstance child, String key, String value) throws InterruptedException {
        while (true) {
            ChildInstance.Event event = child.pollEvent(Duration.ofSeconds(5));
            assertTrue(event != null, "no event for " + key + " reached the other instance");
            if (!event.key().equals("probe")) {
                assertEquals(key + "=" + value, event.key() + "=" + event.value(), "the next event: " + event);
                return;
            }
        }
    }
}
