package io.github.jcacheredis.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.spring.app.Note;
import io.github.jcacheredis.spring.app.NotesApplication;
import io.github.jcacheredis.support.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application with {@code spring.cache.type=jcache} and no provider configuration
 * caches its own classes in the untyped caches Boot creates; whatever allowed-packages the user
 * configures is left alone.
 */
class RedisJCacheAutoConfigurationIntegrationTests {

    private static final String APPLICATION_PACKAGE = NotesApplication.class.getPackageName();

    @TempDir
    Path dir;

    @AfterEach
    void clearRedisUrl() {
        System.clearProperty("redis.url");
    }

    @Test
    void untypedCachesHoldTheApplicationsOwnClasses() {
        String namespace = TestRedis.uniqueNamespace();
        System.setProperty("redis.url", TestRedis.uri(namespace).toString());
        try (ConfigurableApplicationContext context = start()) {
            javax.cache.CacheManager manager = context.getBean(javax.cache.CacheManager.class);
            assertEquals(APPLICATION_PACKAGE, manager.getProperties().getProperty("allowed-packages"));

            Cache notes = context.getBean(CacheManager.class).getCache("notes");
            notes.put("n1", new Note("n1", "buy milk"));
            assertEquals(new Note("n1", "buy milk"), notes.get("n1", Note.class));
            String json = (String) TestRedis.server().call("GET", namespace + ":notes:n1");
            assertTrue(json.contains("\"@class\":\"" + Note.class.getName() + "\""), json);
        }
    }

    @Test
    void allowedPackagesInTheJCacheConfigFileAreLeftAlone() throws IOException {
        Path config = Files.writeString(dir.resolve("jcache-redis.yaml"), String.join("\n",
                "singleServerConfig:",
                "  address: \"" + TestRedis.server().uri() + "\"",
                "jcache:",
                "  namespace: " + TestRedis.uniqueNamespace(),
                "  allowed-packages: org.example.other",
                ""));
        try (ConfigurableApplicationContext context = start("spring.cache.jcache.config=" + config.toUri())) {
            javax.cache.CacheManager manager = context.getBean(javax.cache.CacheManager.class);
            assertEquals(config.toUri(), manager.getURI());
            assertNull(manager.getProperties().getProperty("allowed-packages"));

            Cache notes = context.getBean(CacheManager.class).getCache("notes");
            CacheException refused = assertThrows(CacheException.class, () -> notes.put("n1", new Note("n1", "x")));
            assertTrue(refused.getMessage().contains(Note.class.getName()), refused.getMessage());
        }
    }

    @Test
    void inactiveWhenSpringBootIsToldToUseAnotherProvider() {
        try (ConfigurableApplicationContext context = start("spring.cache.type=none",
                "spring.cache.jcache.provider=org.example.OtherCachingProvider")) {
            assertTrue(context.getBeansOfType(ApplicationPackagesCustomizer.class).isEmpty());
        }
    }

    /**
     * Starts the application. Unlike an application's, this class path also has the unrelocated
     * Redisson jar and so Redisson's CachingProvider, hence the provider is named (which also shows
     * the auto-configuration stays active then); src-examples/spring-boot runs with nothing but
     * spring.cache.type and the cache names.
     */
    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(NotesApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("spring.cache.type=jcache", "spring.cache.cache-names=notes",
                        "spring.cache.jcache.provider=" + RedisCachingProvider.class.getName())
                .properties(properties)
                .run();
    }
}
