package io.github.jcacheredis.examples.plain;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.LocalRedis;
import io.github.jcacheredis.testsupport.RespClient;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;

/**
 * Plain JCache on Redis: two instances of an application share one cache, entries expire after
 * ten minutes, a listener reports changes, and the entry is a readable JSON value in Redis.
 */
public final class PlainJCacheExample {

    static final String CACHE = "products";

    private final PrintStream out;

    PlainJCacheExample(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        try (LocalRedis redis = LocalRedis.ensure(System.out)) {
            new PlainJCacheExample(System.out).run(redis);
        }
    }

    void run(LocalRedis redis) {
        // The standard API finds this provider: it is the only one on the class path.
        CachingProvider provider = Caching.getCachingProvider();
        out.println("provider: " + provider.getClass().getName());

        // Instance A. Its default manager connects to REDIS_URL (or redis.url, or localhost:6379).
        CacheManager instanceA = provider.getCacheManager();
        // Instance B stands for a second process of the same service, with its own connection.
        CacheManager instanceB = new RedisCachingProvider().getCacheManager();
        try {
            Cache<String, Product> productsOnA = products(instanceA, "A");
            Cache<String, Product> productsOnB = products(instanceB, "B");

            Product espresso = new Product(42, "Espresso machine", new BigDecimal("249.00"), Instant.now());
            productsOnA.put("42", espresso);
            out.println("A put 42        -> " + espresso);
            out.println("B get 42        -> " + productsOnB.get("42"));

            productsOnB.replace("42", new Product(42, "Espresso machine", new BigDecimal("229.00"), Instant.now()));
            out.println("A get 42        -> " + productsOnA.get("42") + " (B's update)");

            try (RespClient cli = redis.cli()) {
                String key = "jcache:" + CACHE + ":42";
                out.println();
                out.println("$ redis-cli GET " + key);
                out.println(cli.callString("GET", key));
                out.println("$ redis-cli PTTL " + key);
                out.println(cli.callString("PTTL", key));
            }
        } finally {
            instanceB.close();
            instanceA.close();
        }
    }

    private Cache<String, Product> products(CacheManager manager, String instance) {
        MutableConfiguration<String, Product> config = new MutableConfiguration<String, Product>()
                .setTypes(String.class, Product.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10)))
                .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(new PrintingListener(out, instance)), null, false, true));
        return manager.createCache(CACHE, config);
    }

    /** Prints the events a listener receives, synchronously, in this instance. */
    static final class PrintingListener implements CacheEntryCreatedListener<String, Product>,
            CacheEntryUpdatedListener<String, Product>, java.io.Serializable {

        private static final long serialVersionUID = 1L;

        private final transient PrintStream out;
        private final String instance;

        PrintingListener(PrintStream out, String instance) {
            this.out = out;
            this.instance = instance;
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Product>> events) {
            events.forEach(e -> out.println("  listener on " + instance + ": created " + e.getKey()));
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Product>> events) {
            events.forEach(e -> out.println("  listener on " + instance + ": updated " + e.getKey() + ", price "
                    + e.getOldValue().price() + " -> " + e.getValue().price()));
        }
    }
}
