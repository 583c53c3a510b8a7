package io.github.jcacheredis;

import io.github.jcacheredis.store.MutationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.integration.CompletionListener;

/**
 * loadAll: runs the loader in the background and stores what it returns (without write-through),
 * then reports to the CompletionListener.
 */
final class LoadAllOperation<K, V> {

    private final CacheResources<K, V> r;
    private final ReadOperations<K, V> reads;
    private final WriteOperations<K, V> writes;
    private final Executor executor;

    LoadAllOperation(CacheResources<K, V> resources, ReadOperations<K, V> reads, WriteOperations<K, V> writes,
                     Executor executor) {
        this.r = resources;
        this.reads = reads;
        this.writes = writes;
        this.executor = executor;
    }

    void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
        if (!r.loader().hasLoader()) {
            if (listener != null) {
                listener.onCompletion();
            }
            return;
        }
        List<K> snapshot = new ArrayList<>(keys);
        executor.execute(() -> {
            try {
                load(snapshot, replaceExistingValues);
                if (listener != null) {
                    listener.onCompletion();
                }
            } catch (Exception e) {
                if (listener != null) {
                    listener.onException(e);
                }
            }
        });
    }

    private void load(List<K> keys, boolean replaceExistingValues) {
        List<K> toLoad = new ArrayList<>(keys.size());
        for (K key : keys) {
            if (replaceExistingValues || !r.store().exists(r.encodeKey(key))) {
                toLoad.add(key);
            }
        }
        if (toLoad.isEmpty()) {
            return;
        }
        Map<K, V> loaded = r.loader().loadAll(toLoad);
        if (loaded == null) {
            return;
        }
        loaded.forEach((key, value) -> {
            if (key == null || value == null) {
                return;
            }
            String segment = r.encodeKey(key);
            if (replaceExistingValues) {
                MutationResult result = writes.store(segment, r.encodeValue(value), false);
                writes.firePut(key, value, segment, result);
            } else {
                reads.storeLoaded(key, segment, value);
            }
        });
    }
}
