package io.github.jcacheredis.examples.hibernate;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import org.hibernate.cfg.JdbcSettings;

/**
 * Two instances of the example (two SessionFactories, two CacheManagers) over one throwaway Redis
 * and one schema, with provider settings of the test's choosing; A optionally reaches Redis through
 * a {@link TcpProxy}, so that its path alone can fail.
 */
final class FaultyPair implements AutoCloseable {

    private static final AtomicInteger ISBNS = new AtomicInteger(500_000);

    final RedisServer redis;
    final TcpProxy proxyOfA;
    final Database database;
    final Instance a;
    final Instance b;

    private FaultyPair(RedisServer redis, TcpProxy proxyOfA, Database database, Instance a, Instance b) {
        this.redis = redis;
        this.proxyOfA = proxyOfA;
        this.database = database;
        this.a = a;
        this.b = b;
    }

    static FaultyPair start(boolean aThroughProxy, Map<String, String> settingsOfA, Map<String, String> settingsOfB) {
        RedisServer redis = RedisServer.start();
        TcpProxy proxy = aThroughProxy ? TcpProxy.inFrontOf(redis) : null;
        Database database = Database.open();
        Instance a = Instance.withCacheManager("A", database, true,
                manager(proxy != null ? proxy.uri() : redis.uri(), settingsOfA));
        Instance b = Instance.withCacheManager("B", database, false, manager(redis.uri(), settingsOfB));
        return new FaultyPair(redis, proxy, database, a, b);
    }

    static CacheManager manager(String uri, Map<String, String> extra) {
        Properties settings = new Properties();
        settings.setProperty("codec", "java");
        settings.setProperty("allowed-packages", "org.hibernate.cache, io.github.jcacheredis.examples.hibernate");
        settings.setProperty("namespace", "l2-example");
        extra.forEach(settings::setProperty);
        return new RedisCachingProvider().getCacheManager(URI.create(uri), Instance.class.getClassLoader(), settings);
    }

    static boolean isDown(Instance instance) {
        return instance.cacheManager().unwrap(RedisCacheManager.class).unreachableSince().isPresent();
    }

    /** "A" or "B", for messages. */
    String nameOf(Instance instance) {
        return instance == a ? "A" : "B";
    }

    static long skippedWrites(Instance instance) {
        return instance.cacheManager().unwrap(RedisCacheManager.class).skippedWrites();
    }

    static Book persistBook(Instance instance, String authorName, String title) {
        return instance.fromTransaction(session ->
                Library.newBook(session, Library.newAuthor(session, authorName), String.format("978-%07d",
                        ISBNS.incrementAndGet()), title));
    }

    /** The committed title in the database, read with JDBC: no cache involved. */
    String committedTitle(long bookId) {
        Map<String, Object> settings = database.hibernateSettings(false);
        try (Connection connection = DriverManager.getConnection((String) settings.get(JdbcSettings.JAKARTA_JDBC_URL),
                (String) settings.get(JdbcSettings.JAKARTA_JDBC_USER), (String) settings.get(JdbcSettings.JAKARTA_JDBC_PASSWORD));
             PreparedStatement statement = connection.prepareStatement(
                     "select title from " + database.schema() + ".book where id = ?")) {
            statement.setLong(1, bookId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a new session on {@code instance} finds, and whether it came from the second-level cache. */
    static Read read(Instance instance, long bookId) {
        var stats = instance.statistics();
        stats.clear();
        String title = instance.fromTransaction(session -> session.find(Book.class, bookId).getTitle());
        return new Read(title, stats.getSecondLevelCacheHitCount() > 0, stats.getPrepareStatementCount());
    }

    record Read(String title, boolean fromSecondLevelCache, long statements) {
    }

    @Override
    public void close() {
        try {
            b.close();
        } finally {
            try {
                a.close();
            } finally {
                try {
                    database.close();
                } finally {
                    try {
                        if (proxyOfA != null) {
                            proxyOfA.close();
                        }
                    } finally {
                        redis.close();
                    }
                }
            }
        }
    }
}
