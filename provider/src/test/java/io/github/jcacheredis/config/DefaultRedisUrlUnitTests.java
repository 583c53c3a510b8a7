package io.github.jcacheredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where the default manager connects: REDIS_URL, else the system property redis.url, else the
 * Properties' fallback (Spring Boot's {@code spring.data.redis.*}), else localhost.
 */
class DefaultRedisUrlUnitTests {

    @AfterEach
    void clearSystemProperty() {
        System.clearProperty("redis.url");
    }

    private static URI defaultUrl(Map<String, String> env, String fallback) {
        Properties properties = new Properties();
        if (fallback != null) {
            properties.setProperty(ManagerConfig.FALLBACK_URL, fallback);
        }
        return ManagerConfig.defaultRedisUrl(env::get, properties);
    }

    @Test
    void redisUrlThenTheSystemPropertyThenTheFallbackThenLocalhost() {
        assertEquals(URI.create("redis://localhost:6379"), defaultUrl(Map.of(), null));
        assertEquals(URI.create("redis://boot:6379"), defaultUrl(Map.of(), "redis://boot:6379"));
        System.setProperty("redis.url", "redis://property:6379");
        assertEquals(URI.create("redis://property:6379"), defaultUrl(Map.of(), "redis://boot:6379"));
        assertEquals(URI.create("redis://env:6379"), defaultUrl(Map.of("REDIS_URL", "redis://env:6379"), "redis://boot:6379"));
    }
}
