package io.github.jcacheredis.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import org.junit.jupiter.api.Test;

/**
 * invokeAll where the cache fails on one key (its value in Redis cannot be read as the cache's
 * value type, as after a deploy that changed the type): that key's result throws, naming the cache
 * and the key, and every other key is processed. JCache's {@code EntryProcessorResult.get} wraps
 * failures of the implementation as well as of the processor.
 */
class InvokeAllFailureIntegrationTests {

    @Test
    void aKeyTheCacheFailsOnFailsOnlyItsOwnResult() {
        try (RedisServer server = RedisServer.start();
             CacheManager manager = new RedisCachingProvider().getCacheManager(
                     URI.create(server.uri() + "?namespace=all"), getClass().getClassLoader(), new Properties())) {
            Cache<String, Long> counters = manager.createCache("counters",
                    new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
            List<String> keys = List.of("a", "b", "c");
            keys.forEach(key -> counters.put(key, 0L));
            server.call("SET", "all:counters:b", "{\"not\": \"a number\"}");

            Map<String, EntryProcessorResult<Long>> results = counters.invokeAll(new LinkedHashSet<>(keys),
                    (entry, arguments) -> {
                        entry.setValue(entry.getValue() + 1);
                        return entry.getValue();
                    });

            assertEquals(1L, results.get("a").get());
            assertEquals(1L, results.get("c").get(), "the key after the failing one was processed");
            EntryProcessorException failure = assertThrows(EntryProcessorException.class, () -> results.get("b").get());
            assertTrue(failure.getCause() instanceof CacheException, String.valueOf(failure.getCause()));
            assertTrue(failure.getMessage().contains("counters") && failure.getMessage().contains("'b'"),
                    failure.getMessage());
            assertEquals(1L, counters.get("a"));
            assertEquals(1L, counters.get("c"));
            assertEquals("{\"not\": \"a number\"}", server.call("GET", "all:counters:b").toString(),
                    "the entry the cache could not read is left as it was");
        }
    }
}
