package io.github.jcacheredis.examples.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.testsupport.RedisServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.stat.Statistics;

/**
 * A throwaway redis-server, a database schema of the test's own, and two instances of the
 * application on them: A configured by {@code hibernate.javax.cache.uri}, B with a CacheManager of
 * its own. Closing it closes both instances, drops the schema and stops the server.
 */
final class TwoInstances implements AutoCloseable {

    private static final AtomicInteger ISBNS = new AtomicInteger();

    final RedisServer redis;
    final Database database;
    final Instance a;
    final Instance b;

    private TwoInstances(RedisServer redis, Database database, Instance a, Instance b) {
        this.redis = redis;
        this.database = database;
        this.a = a;
        this.b = b;
    }

    static TwoInstances start() {
        RedisServer redis = RedisServer.start();
        System.setProperty(Instance.REDIS_ADDRESS_PROPERTY, redis.uri());
        try {
            Database database = Database.open();
            System.out.println("two instances on " + database.description());
            try {
                Instance a = Instance.configuredByUri("A", database, true);
                try {
                    return new TwoInstances(redis, database, a, Instance.withOwnCacheManager("B", database, false));
                } catch (RuntimeException e) {
                    a.close();
                    throw e;
                }
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
        } catch (RuntimeException e) {
            System.clearProperty(Instance.REDIS_ADDRESS_PROPERTY);
            redis.close();
            throw e;
        }
    }

    /** Persists a new author with one book on {@code instance}; returns the book. */
    static Book persistBook(Instance instance, String authorName, String title) {
        return instance.fromTransaction(session ->
                Library.newBook(session, Library.newAuthor(session, authorName), nextIsbn(), title));
    }

    /** Persists another book of an existing author on {@code instance}. */
    static Book persistBook(Instance instance, long authorId, String title) {
        return instance.fromTransaction(session ->
                Library.newBook(session, session.find(Author.class, authorId), nextIsbn(), title));
    }

    /** The titles {@link Library#booksBy} finds on {@code instance}. */
    static List<String> titlesBy(Instance instance, String authorName) {
        return instance.fromTransaction(session ->
                Library.booksBy(session, authorName).stream().map(Book::getTitle).toList());
    }

    private static String nextIsbn() {
        return String.format("978-%07d", ISBNS.incrementAndGet());
    }

    /** The statistics of {@code instance}, reset, so the next step's numbers stand alone. */
    static Statistics cleared(Instance instance) {
        Statistics statistics = instance.statistics();
        statistics.clear();
        return statistics;
    }

    /** Finds a book on {@code instance} and checks that it came from the second-level cache alone. */
    static Book assertSecondLevelHitWithoutSql(Instance instance, long bookId) {
        Statistics stats = cleared(instance);
        Book book = instance.fromTransaction(session -> session.find(Book.class, bookId));
        assertEquals(1, stats.getSecondLevelCacheHitCount(), "second-level cache hits");
        assertEquals(0, stats.getSecondLevelCacheMissCount(), "second-level cache misses");
        assertEquals(0, stats.getPrepareStatementCount(), "SQL statements");
        return book;
    }

    /** The Redis key of a book's entry: readable, as {@code redis-cli --scan} shows it. */
    static String bookKey(long bookId) {
        String book = Book.class.getName();
        return "l2-example:" + book + ":#j:{\"@class\":\"org.hibernate.cache.internal.BasicCacheKeyImplementation\","
                + "\"entityOrRoleName\":\"" + book + "\",\"id\":[\"java.lang.Long\"," + bookId + "]}";
    }

    @Override
    public void close() {
        try (redis; database; a; b) {
            System.clearProperty(Instance.REDIS_ADDRESS_PROPERTY);
        }
    }
}
