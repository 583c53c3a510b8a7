package io.github.jcacheredis;

import io.github.jcacheredis.event.EntryEvent;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.integration.ReadThrough;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.event.EventType;

/** get, getAll and containsKey, with read-through and access expiry. */
final class ReadOperations<K, V> {

    private final EntryCodec<K, V> codec;
    private final EntryStore store;
    private final ExpiryDecisions expiry;
    private final CacheEvents<K, V> events;
    private final CacheStatistics statistics;
    private final ReadThrough<K, V> loader;

    ReadOperations(EntryCodec<K, V> codec, EntryStore store, ExpiryDecisions expiry, CacheEvents<K, V> events,
                   CacheStatistics statistics, ReadThrough<K, V> loader) {
        this.codec = codec;
        this.store = store;
        this.expiry = expiry;
        this.events = events;
        this.statistics = statistics;
        this.loader = loader;
    }

    V get(K key) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        byte[] bytes = store.getAndExpire(encodedKey, expiry.accessHint());
        V value;
        if (bytes == null) {
            statistics.misses(1);
            value = loader.isReadThrough() ? loadAndStore(key, encodedKey) : null;
        } else {
            statistics.hits(1);
            value = codec.decode(encodedKey, bytes);
            applyAccessExpiry(encodedKey);
        }
        statistics.recordGetTime(start);
        return value;
    }

    boolean containsKey(K key) {
        return store.exists(codec.encodeKey(key));
    }

    Map<K, V> getAll(Set<? extends K> keys) {
        long start = statistics.start();
        // keys that encode alike are one entry (arrays, say, are never equals()): each gets its value
        Map<String, List<K>> byEncodedKey = new LinkedHashMap<>();
        for (K key : keys) {
            byEncodedKey.computeIfAbsent(codec.encodeKey(key), encodedKey -> new ArrayList<>(1)).add(key);
        }
        Map<String, byte[]> found = store.getAllAndExpire(byEncodedKey.keySet(), expiry.accessHint());
        Map<K, V> result = new HashMap<>(found.size() * 2);
        List<K> missing = new ArrayList<>();
        byEncodedKey.forEach((encodedKey, sameEntry) -> {
            byte[] bytes = found.get(encodedKey);
            if (bytes == null) {
                missing.addAll(sameEntry);
            } else {
                V value = codec.decode(encodedKey, bytes);
                sameEntry.forEach(key -> result.put(key, value));
                applyAccessExpiry(encodedKey);
            }
        });
        statistics.hits(result.size());
        statistics.misses(missing.size());
        if (!missing.isEmpty() && loader.isReadThrough()) {
            result.putAll(loadAllAndStore(missing));
        }
        statistics.recordGetTime(start);
        return result;
    }

    /** Loads a missing key through the loader and stores what it returns (not written through). */
    V loadAndStore(K key, String encodedKey) {
        V loaded = loader.load(key);
        if (loaded != null) {
            storeLoaded(key, encodedKey, loaded);
        }
        return loaded;
    }

    /** Loads missing keys with loadAll and stores the non-null values. */
    Map<K, V> loadAllAndStore(Collection<K> keys) {
        Map<K, V> loaded = loader.loadAll(keys);
        Map<K, V> result = new HashMap<>();
        if (loaded == null) {
            return result;
        }
        loaded.forEach((key, value) -> {
            if (key != null && value != null) {
                storeLoaded(key, codec.encodeKey(key), value);
                result.put(key, value);
            }
        });
        return result;
    }

    /** Stores a loaded value unless another writer got there first; a created entry fires CREATED. */
    void storeLoaded(K key, String encodedKey, V value) {
        byte[] bytes = codec.encodeValue(value);
        long ttl = expiry.creationHint();
        MutationResult result = store.putIfAbsent(encodedKey, bytes, ttl);
        events.fire(result, result.outcome() == Outcome.CREATED && events.wants(EventType.CREATED)
                ? List.of(EntryEvent.created(events.source(), key, value)) : List.of());
    }

    /** After a plain read that hit, a policy that is not constant is asked for the access TTL. */
    void applyAccessExpiry(String encodedKey) {
        if (!expiry.isConstant()) {
            expiry.touch(store, encodedKey);
        }
    }
}
