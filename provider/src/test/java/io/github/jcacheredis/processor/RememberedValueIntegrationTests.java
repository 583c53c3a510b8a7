package io.github.jcacheredis.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jcacheredis.support.TestRedis;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * invoke may start from the value it saw last, but never returns or builds on a value that changed
 * in Redis since: the compare-and-set, or a read for processors that only read, corrects it.
 */
class RememberedValueIntegrationTests {

    @Test
    void aValueChangedElsewhereSinceTheLastInvokeIsNeverUsed() {
        String namespace = TestRedis.uniqueNamespace();
        try (CacheManager manager = TestRedis.newManager(namespace)) {
            Cache<String, Long> counters = manager.createCache("counters",
                    new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
            counters.invoke("c", new ConcurrentWorkload.Increment());
            assertEquals(1L, counters.get("c"));

            TestRedis.server().call("SET", namespace + ":counters:c", "41"); // another writer, unseen
            counters.invoke("c", new ConcurrentWorkload.Increment());
            assertEquals(42L, counters.get("c"), "the increment built on the current value");

            TestRedis.server().call("SET", namespace + ":counters:c", "7");
            Long read = counters.invoke("c", (entry, args) -> entry.getValue());
            assertEquals(7L, read, "a read returns the current value");

            TestRedis.server().call("DEL", namespace + ":counters:c");
            Long absent = counters.invoke("c", (entry, args) -> entry.exists() ? entry.getValue() : null);
            assertNull(absent);
        }
    }
}
