package io.github.jcacheredis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** A {@code memory:} URI gives a manager whose caches live in this JVM, with no Redis to reach. */
class MemoryManagerUnitTests {

    private final RedisCachingProvider provider = new RedisCachingProvider();

    private CacheManager manager(String uri) {
        return provider.getCacheManager(URI.create(uri), getClass().getClassLoader(), new Properties());
    }

    @Test
    void aMemoryManagerKeepsEntriesInThisJvmPerUri() {
        try (CacheManager app = manager("memory:app"); CacheManager other = manager("memory:other")) {
            assertSame(app, manager("memory:app"), "one manager per URI, as for Redis");
            Cache<String, Integer> cache = app.createCache("c", new MutableConfiguration<String, Integer>()
                    .setTypes(String.class, Integer.class));
            cache.put("k", 1);
            assertEquals(1, cache.get("k"));
            Cache<String, Integer> elsewhere = other.createCache("c", new MutableConfiguration<String, Integer>()
                    .setTypes(String.class, Integer.class));
            assertNull(elsewhere.get("k"), "another memory manager shares nothing");
        }
    }

    @Test
    void aMemoryManagerHasNoRedissonClient() {
        try (CacheManager manager = manager("memory:app")) {
            assertThrows(IllegalArgumentException.class, () -> manager.unwrap(RedissonClient.class));
            assertThrows(IllegalStateException.class, () -> manager.unwrap(RedisCacheManager.class).redisson());
        }
    }
}
