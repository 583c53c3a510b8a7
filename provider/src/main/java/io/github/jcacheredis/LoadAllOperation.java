package io.github.jcacheredis;

import io.github.jcacheredis.integration.ReadThrough;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.MutationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.integration.CompletionListener;

/**
 * loadAll: runs the loader in the background and stores what it returns (without write-through),
 * then reports to the CompletionListener. Closing the cache first waits for the loads in flight
 * ({@link #stop}), so that no load uses the loader after it was closed or writes for a closed cache.
 */
final class LoadAllOperation<K, V> {

    /** The load the current thread runs, so that a CompletionListener closing the cache does not wait for itself. */
    private static final ThreadLocal<CompletableFuture<Void>> CURRENT = new ThreadLocal<>();

    private final EntryCodec<K, V> codec;
    private final EntryStore store;
    private final ReadThrough<K, V> loader;
    private final ReadOperations<K, V> reads;
    private final WriteOperations<K, V> writes;
    private final Executor executor;
    private final Set<CompletableFuture<Void>> running = ConcurrentHashMap.newKeySet();
    private boolean stopped;

    LoadAllOperation(EntryCodec<K, V> codec, EntryStore store, ReadThrough<K, V> loader, ReadOperations<K, V> reads,
                     WriteOperations<K, V> writes, Executor executor) {
        this.codec = codec;
        this.store = store;
        this.loader = loader;
        this.reads = reads;
        this.writes = writes;
        this.executor = executor;
    }

    void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
        if (!loader.hasLoader()) {
            if (listener != null) {
                listener.onCompletion();
            }
            return;
        }
        List<K> snapshot = new ArrayList<>(keys);
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (stopped) {
                throw new IllegalStateException("Cache[" + codec.cacheName() + "] is closed");
            }
            running.add(done);
        }
        try {
            executor.execute(() -> {
                CURRENT.set(done);
                try {
                    run(snapshot, replaceExistingValues, listener);
                } finally {
                    CURRENT.remove();
                    running.remove(done);
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            running.remove(done);
            throw e;
        }
    }

    private void run(List<K> keys, boolean replaceExistingValues, CompletionListener listener) {
        try {
            load(keys, replaceExistingValues);
            if (listener != null) {
                listener.onCompletion();
            }
        } catch (Exception e) {
            if (listener != null) {
                listener.onException(e);
            }
        }
    }

    /**
     * Refuses new loads and waits up to {@code timeoutMillis} for those in flight; false when some
     * were still running then.
     */
    boolean stop(long timeoutMillis) {
        CompletableFuture<?>[] inFlight;
        synchronized (this) {
            stopped = true;
            CompletableFuture<Void> own = CURRENT.get();
            inFlight = running.stream().filter(load -> load != own).toArray(CompletableFuture[]::new);
        }
        if (inFlight.length == 0) {
            return true;
        }
        try {
            CompletableFuture.allOf(inFlight).get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // the futures only ever complete normally
        }
    }

    private void load(List<K> keys, boolean replaceExistingValues) {
        List<K> toLoad = new ArrayList<>(keys.size());
        for (K key : keys) {
            if (replaceExistingValues || !store.exists(codec.encodeKey(key))) {
                toLoad.add(key);
            }
        }
        if (toLoad.isEmpty()) {
            return;
        }
        Map<K, V> loaded = loader.loadAll(toLoad);
        if (loaded == null) {
            return;
        }
        loaded.forEach((key, value) -> {
            if (key == null || value == null) {
                return;
            }
            String encodedKey = codec.encodeKey(key);
            if (replaceExistingValues) {
                MutationResult result = writes.store(encodedKey, codec.encodeValue(value), false);
                writes.firePut(key, value, encodedKey, result);
            } else {
                reads.storeLoaded(key, encodedKey, value);
            }
        });
    }
}
