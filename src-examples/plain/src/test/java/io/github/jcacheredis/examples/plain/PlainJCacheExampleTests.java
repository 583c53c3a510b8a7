package io.github.jcacheredis.examples.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.LocalRedis;
import io.github.jcacheredis.testsupport.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the example against a throwaway redis-server. This module depends on the provider exactly
 * as an application does, so it also proves the drop-in: ours is the only CachingProvider.
 */
class PlainJCacheExampleTests {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        System.setProperty("redis.url", redis.uri());
    }

    @AfterAll
    static void stopRedis() {
        System.clearProperty("redis.url");
        Caching.getCachingProvider().close();
        redis.close();
    }

    @Test
    void theProviderIsTheOnlyOneFoundOnTheApplicationsClassPath() {
        List<String> found = new ArrayList<>();
        ServiceLoader.load(CachingProvider.class).forEach(p -> found.add(p.getClass().getName()));
        assertEquals(List.of(RedisCachingProvider.class.getName()), found);
        assertEquals(RedisCachingProvider.class, Caching.getCachingProvider().getClass());
        assertTrue(isAbsent("org.redisson.Redisson"), "Redisson must only be present relocated");
        assertTrue(isAbsent("org.redisson.jcache.JCachingProvider"));
    }

    @Test
    void instanceBSeesInstanceAsEntryAndRedisHoldsReadableJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (LocalRedis local = LocalRedis.ensure(out)) {
            new PlainJCacheExample(out).run(local);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("B get 42        -> Product[id=42, name=Espresso machine, price=249.00"), printed);
        assertTrue(printed.contains("listener on A: created 42"), printed);

        String json = (String) redis.call("GET", "jcache:products:42");
        assertTrue(json.startsWith("{\"id\":42,\"name\":\"Espresso machine\",\"price\":229.00,\"updatedAt\":\""), json);
        long ttl = (Long) redis.call("PTTL", "jcache:products:42");
        assertTrue(ttl > 0 && ttl <= 600_000, "ten-minute creation TTL, was " + ttl);
    }

    private static boolean isAbsent(String className) {
        try {
            Class.forName(className);
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }
}
