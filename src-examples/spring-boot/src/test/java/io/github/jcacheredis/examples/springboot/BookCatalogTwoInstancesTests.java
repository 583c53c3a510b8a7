package io.github.jcacheredis.examples.springboot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.jcache.JCacheCacheManager;

/**
 * Two instances of the application, each with its own CacheManager and Redis connections, share
 * one throwaway redis-server: what one caches is a hit on the other, and updates, evictions and
 * cached nulls are seen by both. The application configures nothing but what its
 * application.properties says; the tests only point {@code redis.url} at the throwaway server.
 *
 * <p>Each instance's repository stands in for the database they would share; which repository is
 * asked tells hits from misses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BookCatalogTwoInstancesTests {

    private static final String EFFECTIVE_JAVA = CatalogTour.EFFECTIVE_JAVA;
    private static final String CONCURRENCY_IN_PRACTICE = "978-0321349606";
    private static final String PUZZLERS = "978-0321356680";
    private static final String SPRING_IN_ACTION = "978-1617294945";

    private static RedisServer redis;
    private static RunningCatalog first;
    private static RunningCatalog second;
    private static long clientsBefore;
    private static long clientsWithFirst;
    private static long clientsWithBoth;

    @BeforeAll
    static void startRedisAndTwoInstances() {
        redis = RedisServer.start();
        System.setProperty("redis.url", redis.uri());
        clientsBefore = connectedClients();
        first = RunningCatalog.start();
        clientsWithFirst = connectedClients();
        second = RunningCatalog.start();
        clientsWithBoth = connectedClients();
    }

    @AfterAll
    static void stopAll() {
        try {
            if (second != null) {
                second.context().close();
            }
            if (first != null) {
                first.context().close();
            }
        } finally {
            System.clearProperty("redis.url");
            redis.close();
        }
    }

    @Test
    @Order(1)
    void eachInstanceHasItsOwnCacheManagerAndRedisConnections() {
        javax.cache.CacheManager managerOfFirst = first.jcache();
        javax.cache.CacheManager managerOfSecond = second.jcache();
        assertNotSame(managerOfFirst, managerOfSecond);
        assertNotSame(managerOfFirst.getCachingProvider(), managerOfSecond.getCachingProvider());
        assertSame(managerOfFirst, ((JCacheCacheManager) first.context().getBean(CacheManager.class)).getCacheManager());
        assertSame(managerOfSecond, ((JCacheCacheManager) second.context().getBean(CacheManager.class)).getCacheManager());
        assertEquals(clientsWithFirst - clientsBefore, clientsWithBoth - clientsWithFirst,
                "the second instance opened as many connections of its own as the first: " + clientsBefore
                        + " clients before, " + clientsWithFirst + " with the first instance, " + clientsWithBoth
                        + " with both");
    }

    @Test
    @Order(2)
    void theProviderNeedsNoConfigurationBeyondTheRedisAddress() {
        javax.cache.CacheManager manager = first.jcache();
        assertEquals(RedisCachingProvider.class, manager.getCachingProvider().getClass());
        assertTrue(manager.getCachingProvider().getClass().getProtectionDomain().getCodeSource().getLocation()
                .getPath().endsWith(".jar"), "the provider comes from its published (shaded) jar");
        assertNull(first.context().getEnvironment().getProperty("spring.cache.jcache.provider"));
        assertEquals(BookCatalogApplication.class.getPackageName(),
                manager.getProperties().getProperty("allowed-packages"),
                "the application's package is allowed in the untyped caches Spring Boot creates");
        assertEquals(List.of(BookService.BOOKS, BookService.BY_AUTHOR), toList(manager.getCacheNames()));
    }

    @Test
    void aBookOneInstanceLoadedIsAHitOnTheOther() {
        Book book = first.books().find(EFFECTIVE_JAVA);
        assertEquals("Effective Java", book.title());
        int queries = second.queries();
        assertEquals(book, second.books().find(EFFECTIVE_JAVA));
        assertEquals(queries, second.queries(), "served from Redis");

        String json = (String) redis.call("GET", "jcache:books:" + EFFECTIVE_JAVA);
        assertTrue(json.contains("\"@class\":\"" + Book.class.getName() + "\""), json);
        assertTrue(json.contains("\"title\":\"Effective Java\""), json);
        long ttl = (Long) redis.call("PTTL", "jcache:books:" + EFFECTIVE_JAVA);
        assertTrue(ttl > 0 && ttl <= 600_000, "ten-minute TTL from the cache configuration bean, was " + ttl);
    }

    @Test
    void aNullResultIsCachedAndSharedToo() {
        String unknown = CatalogTour.UNKNOWN;
        int queriesOfFirst = first.queries();
        assertNull(first.books().find(unknown));
        assertEquals(queriesOfFirst + 1, first.queries());

        int queriesOfSecond = second.queries();
        assertNull(second.books().find(unknown));
        assertNull(first.books().find(unknown));
        assertEquals(queriesOfSecond, second.queries(), "the cached null is a hit on the other instance");
        assertEquals(queriesOfFirst + 1, first.queries(), "and on this one");
        assertTrue(((String) redis.call("GET", "jcache:books:" + unknown)).contains("NullValue"));
    }

    @Test
    void aSynchronizedLoadIsSharedByBothInstances() {
        List<Book> byBloch = first.books().byAuthor("Joshua Bloch");
        assertEquals(List.of(EFFECTIVE_JAVA, PUZZLERS), byBloch.stream().map(Book::isbn).toList());
        int queries = second.queries();
        assertEquals(byBloch, second.books().byAuthor("Joshua Bloch"));
        assertEquals(queries, second.queries(), "served from Redis");
    }

    @Test
    void anUpdateOnOneInstanceIsWhatTheOtherReads() {
        second.books().byAuthor("Joshua Bloch");
        Book puzzlers = first.books().find(PUZZLERS);
        first.books().save(puzzlers.withPrice(new BigDecimal("34.00")));

        int queries = second.queries();
        assertEquals(new BigDecimal("34.00"), second.books().find(PUZZLERS).price(), "@CachePut on the first");
        assertEquals(queries, second.queries());
        second.books().byAuthor("Joshua Bloch");
        assertEquals(queries + 1, second.queries(), "the author's list was evicted by the first instance");
    }

    @Test
    void anEvictionOnOneInstanceIsAMissOnTheOther() {
        second.books().find(CONCURRENCY_IN_PRACTICE);
        second.books().byAuthor("Brian Goetz");
        first.books().delete(CONCURRENCY_IN_PRACTICE);

        int queries = second.queries();
        second.books().find(CONCURRENCY_IN_PRACTICE);
        assertEquals(queries + 1, second.queries(), "@CacheEvict of the key on the first instance");
        second.books().byAuthor("Brian Goetz");
        assertEquals(queries + 2, second.queries(), "@CacheEvict(allEntries = true) on the first instance");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void closingOneInstanceLeavesTheOtherWorking() {
        javax.cache.CacheManager managerOfFirst = first.jcache();
        long connectionsOfFirst = clientsWithFirst - clientsBefore;
        long clients = connectedClients();
        first.context().close();
        assertTrue(managerOfFirst.isClosed());
        await().atMost(Duration.ofSeconds(10)).until(() -> connectedClients() <= clients - connectionsOfFirst);

        assertFalse(second.jcache().isClosed());
        Book added = second.books().save(new Book(SPRING_IN_ACTION, "Spring in Action", "Craig Walls",
                new BigDecimal("49.99")));
        int queries = second.queries();
        assertEquals(added, second.books().find(SPRING_IN_ACTION));
        assertEquals(queries, second.queries(), "a hit on what @CachePut wrote");
        second.books().delete(SPRING_IN_ACTION);
        assertNull(second.books().find(SPRING_IN_ACTION));
        assertEquals(queries + 1, second.queries(), "a miss after @CacheEvict");
    }

    private static long connectedClients() {
        String info = (String) redis.call("INFO", "clients");
        return info.lines().filter(line -> line.startsWith("connected_clients:"))
                .mapToLong(line -> Long.parseLong(line.substring("connected_clients:".length()).strip()))
                .findFirst().orElseThrow();
    }

    private static <T> List<T> toList(Iterable<T> items) {
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }
}
