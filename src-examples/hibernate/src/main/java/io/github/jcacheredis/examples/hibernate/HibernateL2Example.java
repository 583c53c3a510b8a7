package io.github.jcacheredis.examples.hibernate;

import io.github.jcacheredis.testsupport.RedisServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.hibernate.KeyType;
import org.hibernate.Session;
import org.hibernate.stat.Statistics;

/**
 * Hibernate's second-level cache in Redis, shared by two instances of an application: what instance
 * A writes, instance B reads from the cache without a single SQL statement. It runs against a
 * throwaway redis-server, and PostgreSQL (or H2 when none answers) in a schema it drops at the end.
 */
public final class HibernateL2Example {

    private final PrintStream out;

    HibernateL2Example(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        new HibernateL2Example(System.out).run();
    }

    void run() {
        try (RedisServer redis = RedisServer.start()) {
            System.setProperty(Instance.REDIS_ADDRESS_PROPERTY, redis.uri());
            try {
                run(redis);
            } finally {
                System.clearProperty(Instance.REDIS_ADDRESS_PROPERTY);
            }
        }
    }

    private void run(RedisServer redis) {
        try (Database database = Database.open();
             Instance a = Instance.configuredByUri("A", database, true);
             Instance b = Instance.withOwnCacheManager("B", database, false)) {
            out.println("database: " + database.description() + " (dropped at the end)");
            out.println("redis:    a throwaway redis-server on port " + redis.port());
            out.println();

            Book book = a.fromTransaction(session -> Library.newBook(session,
                    Library.newAuthor(session, "Ursula K. Le Guin"), "978-0441478125", "The Left Hand of Darkness"));
            out.println("A: persist " + book);

            measure(b, "B: find book " + book.getId(), session -> session.find(Book.class, book.getId()).getTitle(),
                    stats -> "second-level cache hits " + stats.getSecondLevelCacheHitCount());
            measure(b, "B: find by ISBN " + book.getIsbn(),
                    session -> session.find(Book.class, book.getIsbn(), KeyType.NATURAL).getTitle(),
                    stats -> "natural-id cache hits " + stats.getNaturalIdCacheHitCount());

            a.inTransaction(session -> Library.booksBy(session, "Ursula K. Le Guin"));
            out.println("A: run the cacheable query for books by Ursula K. Le Guin");
            measure(b, "B: run the same query",
                    session -> Library.booksBy(session, "Ursula K. Le Guin").stream().map(Book::getTitle).toList(),
                    stats -> "query cache hits " + stats.getQueryCacheHitCount());

            out.println();
            out.println("$ redis-cli --scan --pattern 'l2-example:*'");
            scan(redis, "l2-example:*").stream().sorted().forEach(out::println);
        }
    }

    /** Runs {@code work} on an instance and prints its result with the statistics it moved. */
    private void measure(Instance instance, String step, Function<Session, Object> work,
                         Function<Statistics, String> cacheCount) {
        Statistics stats = instance.statistics();
        stats.clear();
        Object result = instance.fromTransaction(work);
        out.printf("%-40s -> %s (%s, SQL statements %d)%n", step, result, cacheCount.apply(stats),
                stats.getPrepareStatementCount());
    }

    private static List<String> scan(RedisServer redis, String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            List<?> reply = (List<?>) redis.call("SCAN", cursor, "MATCH", pattern, "COUNT", "100");
            cursor = (String) reply.get(0);
            ((List<?>) reply.get(1)).forEach(key -> keys.add((String) key));
        } while (!"0".equals(cursor));
        return keys;
    }
}
