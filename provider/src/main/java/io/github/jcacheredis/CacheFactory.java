package io.github.jcacheredis;

import io.github.jcacheredis.codec.Codecs;
import io.github.jcacheredis.concurrent.ManagerThreads;
import io.github.jcacheredis.config.EntryFormat;
import io.github.jcacheredis.config.ProviderSettings;
import io.github.jcacheredis.event.EventDispatcher;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.integration.ReadThrough;
import io.github.jcacheredis.integration.WriteThrough;
import io.github.jcacheredis.keyv.KeyvFormat;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.near.NearCacheSettings;
import io.github.jcacheredis.storage.EntryStore;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * Builds a cache from its configuration: copies the configuration, creates the loader, writer,
 * expiry policy and listeners from their factories, and closes whatever it created if a later
 * step fails.
 */
final class CacheFactory {

    private final ProviderSettings settings;
    private final ClassLoader classLoader;
    private final CacheBackend backend;
    private final ManagerThreads threads;

    CacheFactory(ProviderSettings settings, ClassLoader classLoader, CacheBackend backend, ManagerThreads threads) {
        this.settings = settings;
        this.classLoader = classLoader;
        this.backend = backend;
        this.threads = threads;
    }

    private Codecs codecs(String name, MutableConfiguration<?, ?> configuration, ExpiryDecisions expiry,
                          NearCacheSettings near) {
        if (settings.format() == EntryFormat.KEYV) {
            return KeyvFormat.codecs(name, configuration.getKeyType(), configuration.getValueType(), expiry,
                    near != null, classLoader);
        }
        return Codecs.create(name, configuration.getKeyType(), configuration.getValueType(), settings.codec(),
                settings.allowedPackages(), classLoader);
    }

    private NearCacheSettings nearCache(MutableConfiguration<?, ?> configuration) {
        return configuration instanceof RedisCacheConfiguration<?, ?> redisConfiguration
                ? redisConfiguration.nearCache(settings.nearCache()) : settings.nearCache();
    }

    /** A private copy of the configuration the application passed in. */
    static <K, V> MutableConfiguration<K, V> copy(Configuration<K, V> configuration) {
        if (configuration instanceof CompleteConfiguration<K, V> complete) {
            return new RedisCacheConfiguration<>(complete);
        }
        MutableConfiguration<K, V> copy = new MutableConfiguration<>();
        copy.setTypes(configuration.getKeyType(), configuration.getValueType());
        copy.setStoreByValue(configuration.isStoreByValue());
        return copy;
    }

    <K, V> RedisCache<K, V> create(RedisCacheManager manager, String name, MutableConfiguration<K, V> configuration) {
        List<Object> created = new ArrayList<>();
        try {
            ExpiryPolicy policy = track(created, configuration.getExpiryPolicyFactory().create());
            ExpiryDecisions expiry = new ExpiryDecisions(policy);
            NearCacheSettings near = nearCache(configuration);
            Codecs codecs = codecs(name, configuration, expiry, near);
            CacheLoader<K, V> loader = configuration.getCacheLoaderFactory() == null ? null
                    : track(created, configuration.getCacheLoaderFactory().create());
            CacheWriter<? super K, ? super V> writer = writer(configuration, created);
            EventDispatcher<K, V> events = track(created, new EventDispatcher<>(threads.listeners()));
            for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
                events.register(listener);
            }
            EntryStore store = backend.store(name, near, expiry);
            return new RedisCache<>(manager, configuration, name, codecs, store, expiry, events,
                    new CacheStatistics(configuration.isStatisticsEnabled()),
                    writer == null ? WriteThrough.none() : WriteThrough.of(writer),
                    ReadThrough.of(loader, configuration.isReadThrough()), backend.sharing(store));
        } catch (RuntimeException e) {
            closeAll(created, e);
            throw e;
        }
    }

    private static <K, V> CacheWriter<? super K, ? super V> writer(MutableConfiguration<K, V> configuration,
                                                                  List<Object> created) {
        Factory<CacheWriter<? super K, ? super V>> factory = configuration.getCacheWriterFactory();
        if (!configuration.isWriteThrough() || factory == null) {
            return null;
        }
        return track(created, factory.create());
    }

    private static <T> T track(List<Object> created, T resource) {
        created.add(resource);
        return resource;
    }

    private static void closeAll(List<Object> created, RuntimeException failure) {
        for (Object resource : created) {
            if (resource instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
