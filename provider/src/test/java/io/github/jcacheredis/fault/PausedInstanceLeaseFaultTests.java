package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.support.ChildInstance;
import io.github.jcacheredis.support.EventChannelWatch;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * An instance frozen for longer than the lease of its registration (SIGSTOP here; a long GC pause
 * does the same) is dropped by the other instances, whose writes then stop publishing to it. When
 * it runs again it must not serve what its near cache held before the pause: it reads Redis until
 * it has registered again, with the others' confirmation, and empties its near cache, and it logs
 * that its listeners may have missed events.
 */
class PausedInstanceLeaseFaultTests {

    private static final String CACHE = "prices";
    private static final String LISTENED = "events";

    @AutoClose
    final Instances instances = new Instances();

    @Test
    void anInstanceFrozenPastItsLeaseServesNoValueOlderThanWhatWasWrittenMeanwhile() throws Exception {
        RedisServer redis = TestRedis.server();
        URI uri = URI.create(redis.uri());
        CacheManager writers = instances.open(uri, Map.of());
        Cache<String, String> writer = writers.createCache(CACHE, config());
        Cache<String, String> listened = writers.createCache(LISTENED, config());
        try (ChildInstance frozen = ChildInstance.start(uri, instances.namespace(), Instances.NEAR_CACHE_PUBLISHED);
             EventChannelWatch watch = new EventChannelWatch(redis, instances.namespace(), CACHE);
             EventChannelWatch listenedWatch = new EventChannelWatch(redis, instances.namespace(), LISTENED)) {
            frozen.listen(LISTENED); // a listener on another cache (one that wants EXPIRED keeps a cache off its near cache)
            frozen.put(CACHE, "k", "before"); // its own write: no invalidation in flight that could keep the read from filling
            assertEquals("before", frozen.get(CACHE, "k")); // now in the child's near cache

            frozen.pause();
            // writes to another key show when the writer has dropped the frozen instance: they stop publishing
            AtomicInteger probes = new AtomicInteger();
            Await.until("the writer's writes stop publishing to the frozen instance", Duration.ofSeconds(90),
                    () -> !watch.publishes(() -> writer.put("probe", Integer.toString(probes.incrementAndGet()))));
            writer.put("k", "while frozen"); // published to nobody
            frozen.resume();

            assertEquals("while frozen", frozen.get(CACHE, "k"), "the first read after the pause");
            Await.until("the child logged that its listeners may have missed events", Duration.ofSeconds(15),
                    () -> frozen.logged("may have missed events"));
            Await.until("the writer publishes to the child again", Duration.ofSeconds(15),
                    () -> watch.publishes(() -> writer.put("probe", Integer.toString(probes.incrementAndGet())))
                            && listenedWatch.publishes(() -> listened.put("probe", "again")));
            writer.put("k", "after");
            Await.until("the child reads the write made after it registered again", Duration.ofSeconds(5),
                    () -> "after".equals(frozen.get(CACHE, "k")));
            listened.put("k", "after");
            assertHeard(frozen, "after");
        }
    }

    private static MutableConfiguration<String, String> config() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    /** Polls the child's events until the one that sets k to {@code value}. */
    private static void assertHeard(ChildInstance child, String value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            ChildInstance.Event event = child.pollEvent(Duration.ofMillis(200));
            if (event != null && event.key().equals("k") && value.equals(event.value())) {
                return;
            }
        }
        throw new AssertionError("the child's listener did not hear k=" + value + " within 5 s");
    }
}
