package io.github.jcacheredis;

import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import io.github.jcacheredis.storage.WriteLease;
import java.util.List;
import java.util.Objects;
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

    private final CacheResources<K, V> r;
    private final WriteOperations<K, V> writes;

    LeasedWrites(CacheResources<K, V> resources, WriteOperations<K, V> writes) {
        this.r = resources;
        this.writes = writes;
    }

    /** Runs {@code work} while holding the entry's lease; releases it unless the work's write did. */
    <T> T underLease(String segment, Function<WriteLease, T> work) {
        WriteLease lease = r.store().lease(segment);
        try {
            return work.apply(lease);
        } finally {
            r.store().release(lease); // a no-op when the fenced write already released it
        }
    }

    /** put and getAndPut: the writer writes, then the cache stores. */
    V put(K key, V value, boolean returnPrevious) {
        String segment = r.encodeKey(key);
        byte[] bytes = r.encodeValue(value);
        return underLease(segment, lease -> {
            r.writer().write(key, value);
            MutationResult result = store(lease, bytes);
            V previous = returnPrevious ? r.decode(segment, lease.current()) : null;
            writes.countPut(result);
            writes.firePut(key, value, segment, withPrevious(result, lease));
            return previous;
        });
    }

    /** putIfAbsent: the writer is called only when the entry is absent. */
    boolean putIfAbsent(K key, V value) {
        String segment = r.encodeKey(key);
        byte[] bytes = r.encodeValue(value);
        return underLease(segment, lease -> {
            if (lease.current() != null) {
                r.statistics().hits(1);
                return false;
            }
            r.writer().write(key, value);
            MutationResult result = store(lease, bytes);
            r.statistics().misses(1);
            writes.countPut(result);
            writes.firePut(key, value, segment, result);
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
        String segment = r.encodeKey(key);
        byte[] bytes = r.encodeValue(value);
        return underLease(segment, lease -> {
            Outcome refused = check(segment, lease, expected);
            if (refused != null) {
                return new MutationResult(refused, lease.current());
            }
            r.writer().write(key, value);
            MutationResult result = store(lease, bytes);
            writes.countPut(result);
            writes.firePut(key, value, segment, withPrevious(result, lease));
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
        String segment = r.encodeKey(key);
        return underLease(segment, lease -> {
            if (hasExpected) {
                Outcome refused = check(segment, lease, expected);
                if (refused != null) {
                    return new MutationResult(refused, lease.current());
                }
            }
            r.writer().delete(key);
            if (lease.current() == null) {
                return new MutationResult(Outcome.ABSENT, null);
            }
            MutationResult result = fenced(lease, Mutation.remove(true));
            if (result.outcome() == Outcome.DELETED) {
                r.statistics().removals(1);
                writes.fireRemoved(key, segment, result, result.previous());
            }
            return new MutationResult(result.outcome(), lease.current());
        });
    }

    /** Null when the entry is present (and equal to {@code expected} when that is not null), else why not. */
    private Outcome check(String segment, WriteLease lease, V expected) {
        if (lease.current() == null) {
            return Outcome.ABSENT;
        }
        if (expected != null && !Objects.equals(r.decode(segment, lease.current()), expected)) {
            return Outcome.CONFLICT;
        }
        return null;
    }

    /** Stores a value under the lease with the creation or update TTL, asking the policy only for the one that applies. */
    MutationResult store(WriteLease lease, byte[] bytes) {
        boolean exists = lease.current() != null;
        long creation = exists ? r.expiry().creationHint() : r.expiry().resolve(r.expiry().creationHint(), false);
        long update = exists ? r.expiry().resolve(r.expiry().updateHint(), true) : r.expiry().updateHint();
        return fenced(lease, Mutation.put(bytes, creation, update, r.wants(EventType.UPDATED)));
    }

    /** Runs a write fenced by the lease; a refused write means the lease ran out while this instance held it. */
    MutationResult fenced(WriteLease lease, Mutation mutation) {
        MutationResult result = r.store().mutate(lease.segment(), mutation.fencedBy(lease));
        if (result.outcome() == Outcome.FENCED) {
            throw lostLease(lease);
        }
        return result;
    }

    private CacheException lostLease(WriteLease lease) {
        // the writer already saw this change; the cache must not keep a value it may not agree with
        String segment = lease.segment();
        try {
            MutationResult removed = underLease(segment,
                    again -> r.store().mutate(segment, Mutation.remove(false).fencedBy(again)));
            r.fire(removed, List.of()); // the entry was never what the listeners were told
            if (removed.outcome() == Outcome.FENCED) {
                return lostLeaseFailure(segment, "and it lost the lease again while removing the entry");
            }
        } catch (RuntimeException e) {
            CacheException failure = lostLeaseFailure(segment, "and removing the entry failed too");
            failure.addSuppressed(e);
            return failure;
        }
        return lostLeaseFailure(segment, "so the entry was removed: the next read goes to the system of record");
    }

    private CacheException lostLeaseFailure(String segment, String what) {
        return new CacheException("Cache[" + r.name() + "]: this instance held the write lease of key '" + segment
                + "' for longer than it lasts (a pause?), so its write to the cache was refused after its CacheWriter"
                + " had been called, " + what);
    }

    private static MutationResult withPrevious(MutationResult result, WriteLease lease) {
        return result.previous() != null || lease.current() == null ? result
                : new MutationResult(result.outcome(), lease.current());
    }
}
