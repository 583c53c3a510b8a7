package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.ChildInstance;
import io.github.jcacheredis.support.ChildInstance.Event;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.TestRedis;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The child-JVM instance of the pause tests talks to the test, shares caches with it, and really freezes. */
class ChildInstanceIntegrationTests {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

    @AutoClose
    final Instances instances = new Instances();

    @AutoClose
    ChildInstance child;

    @Test
    void theChildSharesCachesWithThisJvmAndReportsItsListenersEvents() throws Exception {
        child = ChildInstance.start(TestRedis.uri(instances.namespace()), instances.namespace());
        Cache<String, String> here = instances.add(TestRedis.newManager(instances.namespace()))
                .createCache("values", new MutableConfiguration<String, String>().setTypes(String.class, String.class));

        child.put("values", "from-child", "1");
        assertEquals("1", here.get("from-child"));
        here.put("from-parent", "2");
        assertEquals("2", child.get("values", "from-parent"));
        assertNull(child.get("values", "absent"));
        assertEquals(1L, child.increment("counters", "hits"));
        assertEquals(2L, child.increment("counters", "hits"));

        child.listen("values");
        here.put("from-parent", "3");
        assertEquals(new Event("UPDATED", "values", "from-parent", "3", "2"), child.pollEvent(EVENT_TIMEOUT));
        assertTrue(child.remove("values", "from-parent"));
        assertEquals(new Event("REMOVED", "values", "from-parent", "3", "3"), child.pollEvent(EVENT_TIMEOUT));
    }

    @Test
    void aPausedChildAnswersNothingUntilItIsResumed() throws Exception {
        child = ChildInstance.start(TestRedis.uri(instances.namespace()), instances.namespace());
        child.put("values", "k", "before");

        child.pause();
        assertTrue(child.isPaused());
        CompletableFuture<String> answer = child.send("get", "values", "k");
        assertThrows(TimeoutException.class, () -> answer.get(500, TimeUnit.MILLISECONDS), "a stopped JVM answered");

        child.resume();
        assertFalse(child.isPaused());
        assertEquals("before", answer.get(10, TimeUnit.SECONDS));
    }
}
