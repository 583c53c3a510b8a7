package io.github.jcacheredis.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.ChildJvm;
import io.github.jcacheredis.support.TestRedis;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Iteration and clear work in batches: a JVM whose heap is smaller than the cache iterates over
 * all of it and clears it. (The million-entry measurement is in benchmarks/.)
 */
class BoundedMemoryIntegrationTests {

    private static final int ENTRIES = 40_000;
    private static final int VALUE_CHARS = 2_000;

    @Test
    void aJvmWithA32MegabyteHeapIteratesAndClearsAnEightyMegabyteCache() throws Exception {
        String namespace = TestRedis.uniqueNamespace();
        try (CacheManager manager = TestRedis.newManager(namespace)) {
            Cache<Integer, String> cache = manager.createCache("big",
                    new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
            String value = "x".repeat(VALUE_CHARS);
            Map<Integer, String> chunk = new HashMap<>();
            for (int i = 0; i < ENTRIES; i++) {
                chunk.put(i, value);
                if (chunk.size() == 1_000) {
                    cache.putAll(chunk);
                    chunk.clear();
                }
            }
            ChildJvm child = ChildJvm.start(List.of("-Xmx32m"), IterateAndClear.class,
                    TestRedis.uri(namespace).toString().replace("?namespace=" + namespace, ""), namespace);
            child.go();
            String output = child.awaitDone(180);
            assertTrue(output.contains("seen " + ENTRIES + " entries, " + (long) ENTRIES * VALUE_CHARS + " characters"),
                    output);
            assertEquals(List.of(), TestRedis.server().call("KEYS", namespace + ":big:1*"));
        }
    }
}
