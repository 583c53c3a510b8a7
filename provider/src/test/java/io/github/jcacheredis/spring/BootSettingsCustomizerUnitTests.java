package io.github.jcacheredis.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jcacheredis.config.EntryFormat;
import io.github.jcacheredis.config.FailureMode;
import io.github.jcacheredis.config.ManagerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Spring Boot's settings reach the CacheManager below the provider's own sources: the Redis of
 * {@code spring.data.redis.*} and the {@code jcache-redis.*} properties.
 */
class BootSettingsCustomizerUnitTests {

    private static final ClassLoader LOADER = BootSettingsCustomizerUnitTests.class.getClassLoader();

    @AfterEach
    void clearSystemProperties() {
        System.clearProperty("jcache.redis.namespace");
    }

    private static Optional<String> springDataRedisUrl(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application", properties));
        return SpringDataRedisUrl.from(environment);
    }

    @Test
    void spring_data_redis_urlIsTakenAsItIs() {
        assertEquals(Optional.of("redis://cache.internal:6380/2"),
                springDataRedisUrl(Map.of("spring.data.redis.url", "redis://cache.internal:6380/2")));
        assertEquals(Optional.of("rediss://cache.internal:6380"), springDataRedisUrl(Map.of(
                "spring.data.redis.url", "redis://cache.internal:6380", "spring.data.redis.ssl.enabled", "true")));
    }

    @Test
    void hostPortCredentialsDatabaseAndSslMakeAUrl() {
        assertEquals(Optional.of("rediss://app%20user:p%40ss%3Aw%2Frd@10.0.0.5:6390/3"), springDataRedisUrl(Map.of(
                "spring.data.redis.host", "10.0.0.5", "spring.data.redis.port", "6390",
                "spring.data.redis.username", "app user", "spring.data.redis.password", "p@ss:w/rd",
                "spring.data.redis.database", "3", "spring.data.redis.ssl.enabled", "true")));
        assertEquals(Optional.of("redis://:secret@localhost:6379"),
                springDataRedisUrl(Map.of("spring.data.redis.password", "secret")));
        assertEquals(Optional.empty(), springDataRedisUrl(Map.of("spring.cache.type", "jcache")));
    }

    @Test
    void jcacheRedisPropertiesFillWhatTheManagersOwnSourcesLeaveOpen() {
        JCacheRedisProperties boot = new JCacheRedisProperties();
        boot.setNamespace("catalog");
        boot.setFailureMode(FailureMode.DEGRADE);
        boot.setTimeout(Duration.ofSeconds(2));
        boot.setAllowedPackages(List.of("com.acme.model", "com.acme.dto"));
        boot.setFormat(EntryFormat.JCACHE);

        Properties properties = customize(boot, URI.create("redis://127.0.0.1:6379?failure-mode=fail"));
        assertEquals("catalog", properties.getProperty("namespace"));
        assertNull(properties.getProperty("failure-mode"), "the URI's query wins");
        assertEquals("2000ms", properties.getProperty("timeout"));
        assertEquals("com.acme.model,com.acme.dto", properties.getProperty("allowed-packages"));
        assertEquals("jcache", properties.getProperty("format"));

        System.setProperty("jcache.redis.namespace", "from-system-property");
        assertNull(customize(boot, ManagerConfig.DEFAULT_URI).getProperty("namespace"), "system properties win");
    }

    @Test
    void theRedisOfSpringDataIsTheDefaultManagersFallback() {
        JCacheRedisProperties boot = new JCacheRedisProperties();
        Properties properties = new Properties();
        new BootSettingsCustomizer(boot, Optional.of("redis://cache.internal:6380"), () -> ManagerConfig.DEFAULT_URI,
                LOADER).customize(properties);
        assertEquals("redis://cache.internal:6380", properties.getProperty(ManagerConfig.FALLBACK_URL));
        assertEquals(Map.of(ManagerConfig.FALLBACK_URL, "redis://cache.internal:6380"), Map.copyOf(properties));
    }

    private static Properties customize(JCacheRedisProperties boot, URI managerUri) {
        Properties properties = new Properties();
        new BootSettingsCustomizer(boot, Optional.empty(), () -> managerUri, LOADER).customize(properties);
        return properties;
    }
}
