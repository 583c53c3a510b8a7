package io.github.jcacheredis.examples.hibernate;

import io.github.jcacheredis.RedisCachingProvider;
import java.net.URI;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.CacheManager;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.stat.Statistics;

/**
 * One instance of the application: a SessionFactory over the shared database whose second-level
 * cache lives in the shared Redis. Two of these in one JVM stand for two processes of a service.
 */
public final class Instance implements AutoCloseable {

    /**
     * The provider's config file, a class-path resource: Redisson's connection settings plus the
     * {@code jcache:} block (namespace, {@code codec: java}, {@code allowed-packages}).
     */
    public static final String CACHE_CONFIG = "jcache-redis-example.yaml";

    /** The system property that the config file reads the Redis address from. */
    public static final String REDIS_ADDRESS_PROPERTY = "jcache.example.redis";

    private final SessionFactory sessionFactory;

    private Instance(SessionFactory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    /**
     * An instance configured by Hibernate properties alone, as in {@code hibernate.properties} or
     * {@code persistence.xml}: the region factory asks the standard {@link javax.cache.Caching}
     * lookup for the CacheManager of {@link #CACHE_CONFIG}.
     */
    public static Instance configuredByUri(String name, Database database, boolean createTables) {
        return new Instance(build(name, database, createTables, "hibernate.javax.cache.uri", CACHE_CONFIG));
    }

    /**
     * An instance that hands Hibernate a CacheManager of its own. In one JVM this is how a second
     * instance gets a manager (and Redis connection) of its own: the provider keeps one manager per
     * URI, and Hibernate closes the manager it uses when its SessionFactory closes, so two
     * SessionFactories must never share one.
     */
    public static Instance withOwnCacheManager(String name, Database database, boolean createTables) {
        return withCacheManager(name, database, createTables, newCacheManager());
    }

    /**
     * A CacheManager of {@link #CACHE_CONFIG} from a provider instance of its own, so with a Redis
     * connection of its own; create caches on it to configure regions (an expiry policy, say) before
     * Hibernate creates them.
     */
    public static CacheManager newCacheManager() {
        return new RedisCachingProvider()
                .getCacheManager(URI.create("classpath:" + CACHE_CONFIG), Instance.class.getClassLoader(), null);
    }

    /** An instance whose second-level cache uses {@code manager}; closing the instance closes it. */
    public static Instance withCacheManager(String name, Database database, boolean createTables,
                                            CacheManager manager) {
        try {
            return new Instance(build(name, database, createTables, "hibernate.javax.cache.cache_manager", manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static SessionFactory build(String name, Database database, boolean createTables,
                                        String cacheManagerSetting, Object cacheManager) {
        return new HibernatePersistenceConfiguration(name)
                .managedClasses(Author.class, Book.class)
                .properties(database.hibernateSettings(createTables))
                .property("hibernate.cache.region.factory_class", "jcache")
                .property(cacheManagerSetting, cacheManager)
                .property("hibernate.javax.cache.missing_cache_strategy", "create")
                .property("hibernate.cache.use_query_cache", "true")
                .property("hibernate.generate_statistics", "true")
                .createEntityManagerFactory();
    }

    public SessionFactory sessionFactory() {
        return sessionFactory;
    }

    /** This instance's statistics: cache hits and misses, and the SQL statements it prepared. */
    public Statistics statistics() {
        return sessionFactory.getStatistics();
    }

    /** The CacheManager behind this instance's second-level cache. */
    public CacheManager cacheManager() {
        return ((JCacheRegionFactory) sessionFactory.unwrap(SessionFactoryImplementor.class).getCache().getRegionFactory())
                .getCacheManager();
    }

    public <R> R fromTransaction(Function<Session, R> work) {
        return sessionFactory.fromTransaction(work);
    }

    public void inTransaction(Consumer<Session> work) {
        sessionFactory.inTransaction(work);
    }

    /** Closes the SessionFactory, and with it (Hibernate's doing) this instance's CacheManager. */
    @Override
    public void close() {
        if (sessionFactory.isOpen()) {
            sessionFactory.close();
        }
    }
}
