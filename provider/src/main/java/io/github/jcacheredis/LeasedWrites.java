package io.github.jcacheredis;

import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.integration.WriteThrough;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import io.github.jcacheredis.storage.WriteLease;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.cache.CacheException;
import javax.cache.event.EventType;

/**
 * The single-entry writes of a cache with a CacheWriter (write-through). Each takes the entry's
 * write lease, which answers the entry's value; decides on that value; calls the writer only if
 * the write will take effect; and writes with a mutation fenced by the lease, which releases it.
 * While the lease is held no other instance changes the entry, so the writer (the system of
 * record) and the cache see the same changes in the same order, whatever runs concurrently.
 */
final class LeasedWrites<K, V> {

    private final EntryCodec<K, V> codec;
    private final EntryStore store;
    private final ExpiryDecisions expiry;
    private final CacheEvents<K, V> events;
    private final CacheStatistics statistics;
    private final WriteThrough<K, V> writer;
    private final WriteOperations<K, V> writes;
    private final StaleEntryRemovals staleEntries;

    LeasedWrites(EntryCodec<K, V> codec, EntryStore store, ExpiryDecisions expiry, CacheEvents<K, V> events,
                 CacheStatistics statistics, WriteThrough<K, V> writer, WriteOperations<K, V> writes, Executor retries) {
        this.codec = codec;
        this.store = store;
        this.expiry = expiry;
        this.events = events;
        this.statistics = statistics;
        this.writer = writer;
        this.writes = writes;
        this.staleEntries = new StaleEntryRemovals(codec.cacheName(), this::removeUnderLease, retries);
    }

    /** Runs {@code work} while holding the entry's lease; releases it unless the work's write did. */
    <T> T underLease(String encodedKey, Function<WriteLease, T> work) {
        WriteLease lease = store.lease(encodedKey);
        try {
            return work.apply(lease);
        } finally {
            store.release(lease); // a no-op when the fenced write already released it
        }
    }

    /** put and getAndPut: the writer writes, then the cache stores. */
    V put(K key, V value, boolean returnPrevious) {
        String encodedKey = codec.encodeKey(key);
        byte[] bytes = codec.encodeValue(value);
        return underLease(encodedKey, lease -> {
            writer.write(key, value);
            MutationResult result = store(lease, bytes);
            V previous = returnPrevious ? codec.decode(encodedKey, lease.current()) : null;
            writes.countPut(result);
            writes.firePut(key, value, encodedKey, withPrevious(result, lease));
            return previous;
        });
    }

    /** putIfAbsent: the writer is called only when the entry is absent. */
    boolean putIfAbsent(K key, V value) {
        String encodedKey = codec.encodeKey(key);
        byte[] bytes = codec.encodeValue(value);
        return underLease(encodedKey, lease -> {
            if (lease.current() != null) {
                statistics.hits(1);
                return false;
            }
            writer.write(key, value);
            MutationResult result = store(lease, bytes);
            statistics.misses(1);
            writes.countPut(result);
            writes.firePut(key, value, encodedKey, result);
            return true;
        });
    }

    /**
     * replace and getAndReplace, with or without an expected value: the writer is called only
     * when the entry is present (and equal to {@code expected}, when given).
     *
     * @return the outcome: ABSENT, CONFLICT (present but not equal), or what the store did
     */
    MutationResult replace(K key, V expected, V value) {
        String encodedKey = codec.encodeKey(key);
        byte[] bytes = codec.encodeValue(value);
        return underLease(encodedKey, lease -> {
            Outcome refused = check(encodedKey, lease, expected);
            if (refused != null) {
                return new MutationResult(refused, lease.current());
            }
            writer.write(key, value);
            MutationResult result = store(lease, bytes);
            writes.countPut(result);
            writes.firePut(key, value, encodedKey, withPrevious(result, lease));
            return new MutationResult(result.outcome(), lease.current());
        });
    }

    /**
     * remove, getAndRemove and remove with an expected value. Without one, the writer deletes
     * whether or not the entry exists (as the specification has it); with one, only when the entry
     * is present and equal.
     *
     * @return the outcome: ABSENT, CONFLICT (not equal), or DELETED, with the value removed
     */
    MutationResult remove(K key, V expected, boolean hasExpected) {
        String encodedKey = codec.encodeKey(key);
        return underLease(encodedKey, lease -> {
            if (hasExpected) {
                Outcome refused = check(encodedKey, lease, expected);
                if (refused != null) {
                    return new MutationResult(refused, lease.current());
                }
            }
            writer.delete(key);
            if (lease.current() == null) {
                return new MutationResult(Outcome.ABSENT, null);
            }
            MutationResult result = afterWriter(lease, Mutation.remove(true));
            if (result.outcome() == Outcome.DELETED) {
                statistics.removals(1);
                writes.fireRemoved(key, encodedKey, result, result.previous());
            }
            return new MutationResult(result.outcome(), lease.current());
        });
    }

    /** Null when the entry is present (and equal to {@code expected} when that is not null), else why not. */
    private Outcome check(String encodedKey, WriteLease lease, V expected) {
        if (lease.current() == null) {
            return Outcome.ABSENT;
        }
        if (expected != null && !Objects.equals(codec.decode(encodedKey, lease.current()), expected)) {
            return Outcome.CONFLICT;
        }
        return null;
    }

    /**
     * Stores a value under the lease, once the writer has applied it, with the creation or update
     * TTL, asking the policy only for the one that applies.
     */
    MutationResult store(WriteLease lease, byte[] bytes) {
        boolean exists = lease.current() != null;
        long creation = exists ? expiry.creationHint() : expiry.resolve(expiry.creationHint(), false);
        long update = exists ? expiry.resolve(expiry.updateHint(), true) : expiry.updateHint();
        return afterWriter(lease, Mutation.put(bytes, creation, update, events.wants(EventType.UPDATED)));
    }

    /**
     * Runs a write fenced by the lease once the writer has applied the change. If the write fails
     * (Redis refused it, or its reply never came), the system of record has the change and the
     * cache may not: the entry is removed, at once or as soon as Redis takes it, so that no read
     * is served the value from before.
     */
    MutationResult afterWriter(WriteLease lease, Mutation mutation) {
        try {
            return fenced(lease, mutation);
        } catch (LostLease e) {
            throw e;
        } catch (RuntimeException failure) {
            String encodedKey = lease.encodedKey();
            boolean removed = staleEntries.remove(encodedKey);
            throw new CacheException("Cache[" + codec.cacheName() + "]: the CacheWriter applied the change to key '"
                    + encodedKey + "', but writing it to the cache failed (" + failure.getMessage() + "); the entry "
                    + (removed ? "was removed" : "is removed as soon as Redis takes it")
                    + ", so that reads go to the system of record", failure);
        }
    }

    /** Runs a write fenced by the lease; a refused write means the lease ran out while this instance held it. */
    MutationResult fenced(WriteLease lease, Mutation mutation) {
        MutationResult result = store.mutate(lease.encodedKey(), mutation.fencedBy(lease));
        if (result.outcome() == Outcome.FENCED) {
            throw lostLease(lease);
        }
        return result;
    }

    /** Removes the entry under its lease; throws when it cannot (Redis refuses, or the lease ran out meanwhile). */
    private void removeUnderLease(String encodedKey) {
        if (removeFenced(encodedKey).outcome() == Outcome.FENCED) {
            throw new CacheException("lost the lease of '" + encodedKey + "' while removing the entry");
        }
    }

    /**
     * Removes the entry, fenced by its lease, after its writer saw a change the cache may not
     * hold; FENCED when the lease ran out meanwhile.
     */
    private MutationResult removeFenced(String encodedKey) {
        MutationResult removed = underLease(encodedKey,
                again -> store.mutate(encodedKey, Mutation.remove(false).fencedBy(again)));
        events.fire(removed, List.of()); // the entry was never what the listeners were told
        return removed;
    }

    private CacheException lostLease(WriteLease lease) {
        // the writer already saw this change; the cache must not keep a value it may not agree with
        String encodedKey = lease.encodedKey();
        try {
            if (removeFenced(encodedKey).outcome() == Outcome.FENCED) {
                return lostLeaseFailure(encodedKey, "and it lost the lease again while removing the entry");
            }
        } catch (RuntimeException e) {
            CacheException failure = lostLeaseFailure(encodedKey, "and removing the entry failed too");
            failure.addSuppressed(e);
            return failure;
        }
        return lostLeaseFailure(encodedKey, "so the entry was removed: the next read goes to the system of record");
    }

    private CacheException lostLeaseFailure(String encodedKey, String what) {
        return new LostLease("Cache[" + codec.cacheName() + "]: this instance held the write lease of key '"
                + encodedKey + "' for longer than it lasts (a pause?), so its write to the cache was refused after"
                + " its CacheWriter had been called, " + what);
    }

    /** The write was refused because this instance no longer held the lease; the entry was dealt with. */
    private static final class LostLease extends CacheException {
        private static final long serialVersionUID = 1L;

        LostLease(String message) {
            super(message);
        }
    }

    private static MutationResult withPrevious(MutationResult result, WriteLease lease) {
        return result.previous() != null || lease.current() == null ? result
                : new MutationResult(result.outcome(), lease.current());
    }
}
