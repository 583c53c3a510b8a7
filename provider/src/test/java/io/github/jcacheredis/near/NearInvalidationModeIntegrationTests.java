package io.github.jcacheredis.near;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.Await;
import io.github.jcacheredis.testsupport.RedisBinary;
import io.github.jcacheredis.testsupport.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where Redis refuses CLIENT TRACKING (here an ACL user without it), near caches fall back to the
 * invalidations the writers publish, and say so once; {@code near-cache-invalidation=tracking}
 * refuses to start without it instead.
 */
class NearInvalidationModeIntegrationTests {

    private static final String PASSWORD = "pw-" + System.nanoTime();

    private RedisServer redis;
    private final List<CacheManager> managers = new ArrayList<>();

    @BeforeEach
    void start() {
        assumeTrue(RedisBinary.majorVersion() >= 7, "denying a subcommand in an ACL needs Redis 7");
        redis = RedisServer.start("--user", "default", "off", "--user", "app", "on", ">" + PASSWORD, "~*", "&*",
                "+@all", "-client|tracking");
    }

    @AfterEach
    void stop() {
        managers.forEach(CacheManager::close);
        if (redis != null) {
            redis.close();
        }
    }

    private CacheManager manager(String invalidation) {
        Properties properties = new Properties();
        properties.setProperty("near-cache-invalidation", invalidation);
        CacheManager manager = new RedisCachingProvider().getCacheManager(URI.create("redis://app:" + PASSWORD + "@"
                + redis.host() + ":" + redis.port() + "?namespace=modes"), getClass().getClassLoader(), properties);
        managers.add(manager);
        return manager;
    }

    private static Cache<String, String> near(CacheManager manager) {
        return manager.createCache("prices", new RedisCacheConfiguration<String, String>().nearCache(100, null)
                .setTypes(String.class, String.class));
    }

    @Test
    void withoutTrackingNearCachesUsePublishedInvalidationsAndSaySo() {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        Cache<String, String> a;
        Cache<String, String> b;
        try {
            a = near(manager("auto"));
            b = near(manager("auto"));
        } finally {
            System.setErr(originalErr);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("Redis refuses CLIENT TRACKING"), log.toString());

        a.put("k", "v1");
        assertEquals("v1", b.get("k"));
        a.put("k", "v2");
        Await.until(() -> "v2".equals(b.get("k")));
    }

    @Test
    void trackingRequiredButRefusedFailsTheCacheCreation() {
        CacheException refused = assertThrows(CacheException.class, () -> near(manager("tracking")));
        assertTrue(refused.getMessage().contains("near-cache-invalidation=tracking"), refused.getMessage());
    }
}
