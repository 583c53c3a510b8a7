package io.github.jcacheredis.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where one cache's entries live, as the JCache operations see it: values as bytes under encoded
 * keys (the cache's part of the entry's key), TTLs as {@link Ttl} codes, and conditional writes ({@link Mutation}) applied
 * atomically, each reporting what it did ({@link MutationResult}). A write whose TTL is
 * {@link Ttl#UNKNOWN} is completed with the store's {@link TtlResolver}, asked only for the case
 * that applies, so results never ask the caller for a TTL. The operations decide every JCache rule
 * (statistics, events, loaders and writers, which expiry applies); a store only keeps entries.
 */
public interface EntryStore extends AutoCloseable {

    /** The entry's value as the store holds it now (never from a local copy). */
    byte[] get(String encodedKey);

    /**
     * Reads the entry and applies an access TTL ({@link Ttl#KEEP} or {@link Ttl#UNKNOWN}: none);
     * null when absent. May answer from a local copy.
     */
    byte[] getAndExpire(String encodedKey, long ttl);

    /**
     * Reads the entry and how long it lives yet, applying an access TTL first ({@link Ttl#KEEP}:
     * none): what a local copy in front of the store may keep, and for how long. Null when absent.
     */
    TimedValue getWithTtl(String encodedKey, long accessTtl);

    /** A value and its remaining TTL: milliseconds, -1 for none, 0 when it is gone now. */
    record TimedValue(byte[] value, long remainingMillis) {
    }

    /**
     * Whether a local copy of this store's entries may answer reads now: not while the store is
     * unreachable, nor while expiry events are reported (an access must reach the store then).
     */
    default boolean allowsLocalCopies() {
        return true;
    }

    /** Applies an access TTL to an existing entry; false when there is none. */
    boolean expire(String encodedKey, long ttl);

    boolean exists(String encodedKey);

    /**
     * Stores {@code value} with the creation or the update TTL. Without {@code needOutcome} and
     * {@code returnPrevious} the result may be {@link Outcome#WRITTEN} (created or updated, not told).
     */
    MutationResult put(String encodedKey, byte[] value, long creationTtl, long updateTtl, boolean needOutcome,
                       boolean returnPrevious);

    /** Stores {@code value} only if the entry is absent. */
    MutationResult putIfAbsent(String encodedKey, byte[] value, long creationTtl);

    /** Removes the entry. */
    MutationResult remove(String encodedKey, boolean returnPrevious);

    /** Runs one conditional write atomically. */
    MutationResult mutate(String encodedKey, Mutation mutation);

    /** The values of the present entries among {@code encodedKeys}, by encoded key. */
    Map<String, byte[]> getAll(Collection<String> encodedKeys);

    /** Like {@link #getAll} but applies an access TTL to each entry read. */
    Map<String, byte[]> getAllAndExpire(Collection<String> encodedKeys, long ttl);

    /** Runs conditional writes, each atomically; results in the order of {@code mutations}. */
    List<MutationResult> mutateAll(Map<String, Mutation> mutations);

    /**
     * Stores all values with the creation or update TTL (known TTLs only); returns how many were
     * written: all of them, but none that a degraded store skipped (Redis unreachable).
     */
    int putAll(Map<String, byte[]> values, long creationTtl, long updateTtl);

    /** Removes the given entries; returns how many existed. */
    long removeAll(Collection<String> encodedKeys);

    /** The encoded keys of the cache, fetched {@code batchSize} at a time. */
    Iterator<String> scan(int batchSize);

    /**
     * The encoded keys of a removal of every entry, in batches of at most {@code batchSize}. The
     * caller removes each batch before it asks for the next, and so is handed no entry twice: a
     * store reads further keys only once the batch before is gone. A store that cannot see its
     * entries now (Redis unreachable, degraded) records the removal as a clear, carried out once
     * it can, rather than remove nothing.
     */
    default Iterator<List<String>> batchesToRemove(int batchSize) {
        Iterator<String> keys = scan(batchSize);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return keys.hasNext();
            }

            @Override
            public List<String> next() {
                List<String> batch = new ArrayList<>(batchSize);
                do {
                    batch.add(keys.next());
                } while (batch.size() < batchSize && keys.hasNext());
                return batch;
            }
        };
    }

    /** Deletes every entry of the cache, without events; returns how many there were. */
    long clear(int batchSize);

    /**
     * Takes the write lease of an entry (caches with a CacheWriter), waiting while another holder
     * has it; the lease carries the entry's value. Write with a mutation fenced by it, or
     * {@link #release} it.
     */
    WriteLease lease(String encodedKey);

    /** Releases a lease without writing. */
    void release(WriteLease lease);

    /** How the entry of {@code encodedKey} is named in messages (its Redis key, for example). */
    String describe(String encodedKey);

    /** The cache closed: stops what the store runs in the background. */
    @Override
    void close();
}
