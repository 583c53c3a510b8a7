package io.github.jcacheredis;

import io.github.jcacheredis.event.SharedEvents;
import io.github.jcacheredis.near.NearCacheSettings;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.TtlResolver;
import io.github.jcacheredis.store.BatchSizes;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a manager's caches keep their entries and how they reach the other instances that share
 * them: Redis ({@link RedisBackend}), or this JVM's memory ({@link MemoryBackend}).
 */
interface CacheBackend extends AutoCloseable {

    /** The store of a new cache's entries; {@code near} is its local tier's settings, or null. */
    EntryStore store(String name, NearCacheSettings near, TtlResolver ttls);

    /** How a new cache on {@code store} links to the other instances, given its events once it exists. */
    <K, V> Function<CacheEvents<K, V>, SharedEvents> sharing(EntryStore store);

    /** Deletes the entries of a cache this manager has not opened (destroyCache). */
    void clear(String name);

    /** How many writes were skipped because the backend was unreachable. */
    long skippedWrites();

    /** Since when the backend has been unreachable, or empty. */
    Optional<Instant> unreachableSince();

    /** How many commands the batches of single-entry calls carried (none for a backend that sends none). */
    BatchSizes.Snapshot batchSizes();

    /** The client the backend talks through, or null for none. */
    Object client();

    @Override
    void close();
}
