package io.github.jcacheredis.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jcacheredis.testsupport.RedisServer;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Boot application that already configures Spring Data Redis ({@code spring.data.redis.*})
 * caches in that Redis, with {@code jcache-redis.*} properties for the provider's settings; the
 * provider's own settings (here the system property redis.url) still win.
 */
class BootRedisSettingsTests {

    private static final String EFFECTIVE_JAVA = CatalogTour.EFFECTIVE_JAVA;

    private static RedisServer springData;
    private static RedisServer other;

    @BeforeAll
    static void startTwoRedisServers() {
        springData = RedisServer.start();
        other = RedisServer.start();
    }

    @AfterAll
    static void stopRedisServers() {
        springData.close();
        other.close();
    }

    @AfterEach
    void clearRedisUrl() {
        System.clearProperty("redis.url");
    }

    @Test
    void theRedisOfSpringDataRedisAndJCacheRedisPropertiesAreUsed() {
        try (RunningCatalog catalog = RunningCatalog.start("spring.data.redis.host=" + springData.host(),
                "spring.data.redis.port=" + springData.port(), "jcache-redis.namespace=catalog",
                "jcache-redis.timeout=2s", "jcache-redis.failure-mode=degrade")) {
            catalog.books().find(EFFECTIVE_JAVA);

            String json = (String) springData.call("GET", "catalog:books:" + EFFECTIVE_JAVA);
            assertEquals(true, json.contains("\"title\":\"Effective Java\""), json);
            Properties settings = catalog.jcache().getProperties();
            assertEquals("catalog", settings.getProperty("namespace"));
            assertEquals("2000ms", settings.getProperty("timeout"));
            assertEquals("degrade", settings.getProperty("failure-mode"));
            assertEquals(BookCatalogApplication.class.getPackageName(), settings.getProperty("allowed-packages"));
        }
    }

    @Test
    void theSystemPropertyRedisUrlWinsOverSpringDataRedis() {
        System.setProperty("redis.url", other.uri() + "?namespace=ops");
        try (RunningCatalog catalog = RunningCatalog.start("spring.data.redis.url=" + springData.uri(),
                "jcache-redis.namespace=catalog")) {
            catalog.books().find(EFFECTIVE_JAVA);

            assertNull(springData.call("GET", "ops:books:" + EFFECTIVE_JAVA));
            assertEquals(true, ((String) other.call("GET", "ops:books:" + EFFECTIVE_JAVA)).contains("Effective Java"));
            assertNull(catalog.jcache().getProperties().getProperty("namespace"),
                    "the namespace in redis.url's query wins over jcache-redis.namespace");
        }
    }
}
