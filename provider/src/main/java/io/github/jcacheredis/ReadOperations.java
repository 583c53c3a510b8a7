package io.github.jcacheredis;

import io.github.jcacheredis.event.EntryEvent;
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

    private final CacheResources<K, V> r;

    ReadOperations(CacheResources<K, V> resources) {
        this.r = resources;
    }

    V get(K key) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        byte[] bytes = r.store().getAndExpire(segment, r.expiry().accessHint());
        V value;
        if (bytes == null) {
            r.statistics().misses(1);
            value = r.loader().isReadThrough() ? loadAndStore(key, segment) : null;
        } else {
            r.statistics().hits(1);
            value = r.decode(segment, bytes);
            applyAccessExpiry(segment);
        }
        r.statistics().recordGetTime(start);
        return value;
    }

    boolean containsKey(K key) {
        return r.store().exists(r.encodeKey(key));
    }

    Map<K, V> getAll(Set<? extends K> keys) {
        long start = r.statistics().start();
        Map<String, K> bySegment = new LinkedHashMap<>();
        for (K key : keys) {
            bySegment.put(r.encodeKey(key), key);
        }
        Map<String, byte[]> found = r.store().getAllAndExpire(bySegment.keySet(), r.expiry().accessHint());
        Map<K, V> result = new HashMap<>(found.size() * 2);
        List<K> missing = new ArrayList<>();
        bySegment.forEach((segment, key) -> {
            byte[] bytes = found.get(segment);
            if (bytes == null) {
                missing.add(key);
            } else {
                result.put(key, r.decode(segment, bytes));
                applyAccessExpiry(segment);
            }
        });
        r.statistics().hits(found.size());
        r.statistics().misses(missing.size());
        if (!missing.isEmpty() && r.loader().isReadThrough()) {
            result.putAll(loadAllAndStore(missing));
        }
        r.statistics().recordGetTime(start);
        return result;
    }

    /** Loads a missing key through the loader and stores what it returns (not written through). */
    V loadAndStore(K key, String segment) {
        V loaded = r.loader().load(key);
        if (loaded != null) {
            storeLoaded(key, segment, loaded);
        }
        return loaded;
    }

    /** Loads missing keys with loadAll and stores the non-null values. */
    Map<K, V> loadAllAndStore(Collection<K> keys) {
        Map<K, V> loaded = r.loader().loadAll(keys);
        Map<K, V> result = new HashMap<>();
        if (loaded == null) {
            return result;
        }
        loaded.forEach((key, value) -> {
            if (key != null && value != null) {
                storeLoaded(key, r.encodeKey(key), value);
                result.put(key, value);
            }
        });
        return result;
    }

    /** Stores a loaded value unless another writer got there first; a created entry fires CREATED. */
    void storeLoaded(K key, String segment, V value) {
        byte[] bytes = r.encodeValue(value);
        long ttl = r.expiry().creationHint();
        MutationResult result = r.store().putIfAbsent(segment, bytes, ttl);
        r.fire(result, result.outcome() == Outcome.CREATED && r.wants(EventType.CREATED)
                ? List.of(EntryEvent.created(r.cache(), key, value)) : List.of());
    }

    /** After a plain read that hit, a policy that is not constant is asked for the access TTL. */
    void applyAccessExpiry(String segment) {
        if (!r.expiry().isConstant()) {
            r.touch(segment);
        }
    }
}
