package io.github.jcacheredis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jcacheredis.support.TestRedis;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

class ApplicationClientIntegrationTests {

    @Test
    void aManagerAroundTheApplicationsClientLeavesItRunning() {
        Config config = new Config();
        config.useSingleServer().setAddress(TestRedis.server().uri());
        RedissonClient client = Redisson.create(config);
        try {
            String namespace = TestRedis.uniqueNamespace();
            Properties properties = new Properties();
            properties.setProperty("namespace", namespace);
            RedisCachingProvider provider = new RedisCachingProvider();
            URI uri = URI.create("jcache-redis:app-client");
            CacheManager manager = provider.getCacheManager(client, uri, null, properties);
            assertSame(manager, provider.getCacheManager(uri, provider.getDefaultClassLoader()));
            assertSame(client, manager.unwrap(RedissonClient.class));
            assertThrows(CacheException.class, () -> provider.getCacheManager(client, uri, null, properties));
            // a URI that names the server with its credentials never shows them in a message
            URI withCredentials = URI.create("redis://app:s3cr3t@127.0.0.1:1");
            CacheManager named = provider.getCacheManager(client, withCredentials, null, properties);
            CacheException again = assertThrows(CacheException.class,
                    () -> provider.getCacheManager(client, withCredentials, null, properties));
            assertFalse(again.getMessage().contains("s3cr3t"), again.getMessage());
            named.close();

            Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<String, String>());
            cache.put("k", "v");
            manager.close();

            assertFalse(client.isShutdown());
            assertEquals("\"v\"", client.getBucket(namespace + ":c:k", StringCodec.INSTANCE).get());
        } finally {
            client.shutdown();
        }
    }
}
