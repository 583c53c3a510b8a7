package io.github.jcacheredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Properties;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/** The {@code format} setting and the combinations keyv's format refuses. */
class EntryFormatUnitTests {

    private static ProviderSettings settings(String query) {
        return ManagerConfig.resolve(URI.create("redis://127.0.0.1:6379?" + query), new Properties(),
                EntryFormatUnitTests.class.getClassLoader()).settings();
    }

    @Test
    void theDefaultIsTheProvidersOwnFormat() {
        assertEquals(EntryFormat.JCACHE, settings("namespace=a").format());
        assertEquals(EntryFormat.KEYV, settings("format=keyv").format());
    }

    @Test
    void keyvCannotBeCombinedWithJavaSerializationOrANearCache() {
        CacheException codec = assertThrows(CacheException.class, () -> settings("format=keyv&codec=java"));
        assertTrue(codec.getMessage().contains("remove codec=java"), codec.getMessage());
        CacheException near = assertThrows(CacheException.class, () -> settings("format=keyv&near-cache=100"));
        assertTrue(near.getMessage().contains("remove near-cache"), near.getMessage());
        CacheException unknown = assertThrows(CacheException.class, () -> settings("format=msgpack"));
        assertTrue(unknown.getMessage().contains("format must be 'jcache' or 'keyv'"), unknown.getMessage());
    }
}
