package io.github.jcacheredis;

import io.github.jcacheredis.codec.Codecs;
import io.github.jcacheredis.event.EventDispatcher;
import io.github.jcacheredis.event.SharedEvents;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.integration.ReadThrough;
import io.github.jcacheredis.integration.WriteThrough;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.storage.EntryStore;
import java.io.Closeable;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JCache {@link Cache} whose entries live in Redis, one key each. This class checks arguments and
 * state and hands each call to the operation class that carries it out.
 */
public final class RedisCache<K, V> implements Cache<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);
    /** How long closing a cache waits for its loadAll calls in flight before closing the loader. */
    static final long LOADS_ON_CLOSE_MILLIS = 10_000;

    private final RedisCacheManager manager;
    private final MutableConfiguration<K, V> configuration;
    private final String name;
    private final EntryStore store;
    private final EntryCodec<K, V> codec;
    private final ExpiryDecisions expiry;
    private final EventDispatcher<K, V> dispatcher;
    private final CacheStatistics statistics;
    private final WriteThrough<K, V> writer;
    private final ReadThrough<K, V> loader;
    private final ReadOperations<K, V> reads;
    private final WriteOperations<K, V> writes;
    private final BulkOperations<K, V> bulk;
    private final Invocations<K, V> invocations;
    private final LoadAllOperation<K, V> loads;
    private final SharedEvents bridge;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A cache of the parts the manager made for it: nothing here reaches Redis; {@code sharing}
     * links it to the other instances (their registry is read in the background).
     */
    RedisCache(RedisCacheManager manager, MutableConfiguration<K, V> configuration, String name, Codecs codecs,
               EntryStore store, ExpiryDecisions expiry, EventDispatcher<K, V> dispatcher, CacheStatistics statistics,
               WriteThrough<K, V> writer, ReadThrough<K, V> loader,
               Function<CacheEvents<K, V>, SharedEvents> sharing) {
        this.manager = manager;
        this.configuration = configuration;
        this.name = name;
        this.store = store;
        this.expiry = expiry;
        this.dispatcher = dispatcher;
        this.statistics = statistics;
        this.writer = writer;
        this.loader = loader;
        this.codec = new EntryCodec<>(name, configuration.getValueType(), codecs.keys(), codecs.values(), store);
        CacheEvents<K, V> events = new CacheEvents<>(this, dispatcher, codec);
        this.reads = new ReadOperations<>(codec, store, expiry, events, statistics, loader);
        OwnKeyWrites ownKeys = new OwnKeyWrites();
        this.writes = new WriteOperations<>(codec, store, expiry, events, statistics, writer, ownKeys,
                manager.executor());
        this.bulk = new BulkOperations<>(codec, store, expiry, events, statistics, writer, writes);
        this.invocations = new Invocations<>(codec, store, expiry, events, statistics, writer, loader, reads, writes,
                ownKeys);
        this.loads = new LoadAllOperation<>(codec, store, loader, reads, writes, manager.executor());
        this.bridge = sharing.apply(events);
    }

    /** Announces the listeners of the configuration to other instances. */
    void connectListeners() {
        try {
            bridge.localListenersChanged();
        } catch (RuntimeException e) {
            throw new CacheException("Cache[" + getName() + "]: cannot connect its listeners now: " + e.getMessage(), e);
        }
    }

    /** The cache's statistics (its MXBean). */
    CacheStatistics statistics() {
        return statistics;
    }

    @Override
    public V get(K key) {
        checkOpen();
        return reads.get(checkKey(key));
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        checkOpen();
        checkKeys(keys);
        return reads.getAll(keys);
    }

    @Override
    public boolean containsKey(K key) {
        checkOpen();
        return reads.containsKey(checkKey(key));
    }

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
        checkOpen();
        checkKeys(keys);
        loads.loadAll(keys, replaceExistingValues, completionListener);
    }

    @Override
    public void put(K key, V value) {
        checkOpen();
        writes.put(checkKey(key), checkValue(value));
    }

    @Override
    public V getAndPut(K key, V value) {
        checkOpen();
        return writes.getAndPut(checkKey(key), checkValue(value));
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        checkOpen();
        Objects.requireNonNull(map, "map");
        map.forEach((key, value) -> {
            checkKey(key);
            checkValue(value);
        });
        bulk.putAll(map);
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        checkOpen();
        return writes.putIfAbsent(checkKey(key), checkValue(value));
    }

    @Override
    public boolean remove(K key) {
        checkOpen();
        return writes.remove(checkKey(key));
    }

    @Override
    public boolean remove(K key, V oldValue) {
        checkOpen();
        return writes.remove(checkKey(key), checkValue(oldValue));
    }

    @Override
    public V getAndRemove(K key) {
        checkOpen();
        return writes.getAndRemove(checkKey(key));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        checkOpen();
        return writes.replace(checkKey(key), checkValue(oldValue), checkValue(newValue));
    }

    @Override
    public boolean replace(K key, V value) {
        checkOpen();
        return writes.replace(checkKey(key), checkValue(value));
    }

    @Override
    public V getAndReplace(K key, V value) {
        checkOpen();
        return writes.getAndReplace(checkKey(key), checkValue(value));
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        checkOpen();
        checkKeys(keys);
        bulk.removeAll(keys);
    }

    @Override
    public void removeAll() {
        checkOpen();
        bulk.removeAll();
    }

    @Override
    public void clear() {
        checkOpen();
        bulk.clear();
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        if (clazz.isInstance(configuration)) {
            return clazz.cast(CacheFactory.copy(configuration));
        }
        throw new IllegalArgumentException("the configuration of Cache[" + getName() + "] is not a " + clazz.getName());
    }

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
        checkOpen();
        checkKey(key);
        Objects.requireNonNull(entryProcessor, "entryProcessor");
        return invocations.invoke(key, entryProcessor, arguments);
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
                                                         Object... arguments) {
        checkOpen();
        checkKeys(keys);
        Objects.requireNonNull(entryProcessor, "entryProcessor");
        return invocations.invokeAll(keys, entryProcessor, arguments);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    /** Closes the cache and what it created; its entries stay in Redis. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeApplicationParts();
        manager.release(this);
        bridge.close();
        store.close();
    }

    /**
     * Closes the cache and removes its entries (CacheManager#destroyCache); false when it was
     * already closed. The application's parts are closed before the entries are removed, so that
     * whatever they hold (a connection, say) is released while the clear's round trips run rather
     * than just before destroyCache returns.
     */
    boolean destroy() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        closeApplicationParts();
        try {
            bulk.clear();
        } finally {
            manager.release(this);
            bridge.close();
            store.close();
        }
        return true;
    }

    /**
     * Waits for loadAll calls in flight, then closes the listeners, loader, writer and expiry
     * policy that implement Closeable.
     */
    private void closeApplicationParts() {
        if (!loads.stop(LOADS_ON_CLOSE_MILLIS)) {
            LOG.warn("Cache[{}] is closing while a loadAll is still running after {} ms; its loader is closed anyway",
                    getName(), LOADS_ON_CLOSE_MILLIS);
        }
        dispatcher.close();
        for (Object part : new Object[] {loader.delegate(), writer.delegate(), expiry.policy()}) {
            if (part instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing {} of Cache[{}] failed", part.getClass().getName(), getName(), e);
                }
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("Cache[" + getName() + "] cannot be unwrapped to " + clazz.getName());
    }

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
        configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
        try {
            dispatcher.register(listenerConfiguration);
        } catch (RuntimeException e) {
            configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
            throw e;
        }
        try {
            bridge.localListenersChanged();
        } catch (RuntimeException e) {
            // not subscribed to the cache's events (Redis unreachable): registered nowhere, so that
            // the application may register it again
            dispatcher.deregister(listenerConfiguration);
            configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
            throw new CacheException("Cache[" + getName() + "]: cannot register the listener now: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
        configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
        dispatcher.deregister(listenerConfiguration);
        bridge.localListenersChanged();
    }

    @Override
    public Iterator<Entry<K, V>> iterator() {
        checkOpen();
        return new EntryIterator<>(codec, store, expiry, statistics, reads, writes);
    }

    /** The live configuration, for the manager (statistics and management flags). */
    MutableConfiguration<K, V> liveConfiguration() {
        return configuration;
    }

    CompleteConfiguration<K, V> configuration() {
        return configuration;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Cache[" + getName() + "] is closed");
        }
    }

    private K checkKey(K key) {
        Objects.requireNonNull(key, "key");
        Class<K> type = configuration.getKeyType();
        if (type != Object.class && !type.isInstance(key)) {
            throw new ClassCastException("Cache[" + getName() + "] takes keys of type " + type.getName() + ", not "
                    + key.getClass().getName());
        }
        return key;
    }

    private V checkValue(V value) {
        Objects.requireNonNull(value, "value");
        Class<V> type = configuration.getValueType();
        if (type != Object.class && !type.isInstance(value)) {
            throw new ClassCastException("Cache[" + getName() + "] takes values of type " + type.getName() + ", not "
                    + value.getClass().getName());
        }
        return value;
    }

    private void checkKeys(Set<? extends K> keys) {
        Objects.requireNonNull(keys, "keys");
        for (K key : keys) {
            checkKey(key);
        }
    }
}
