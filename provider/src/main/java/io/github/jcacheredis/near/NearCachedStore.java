package io.github.jcacheredis.near;

import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Ttl;
import io.github.jcacheredis.storage.WriteLease;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A near cache in front of any store: reads are answered from the local tier while it may be
 * trusted ({@link NearCache#isTrusted}) and the store allows local copies, a miss fills it with
 * the value and how long it lives in the store, and every write drops the key from it once the
 * store's call has ended, whatever its outcome (also when it is unknown). Whoever keeps the tier
 * in step with changes made elsewhere (Redis' tracking, or published invalidations) talks to the
 * {@link #nearCache()} itself.
 */
public final class NearCachedStore implements EntryStore {

    private final EntryStore store;
    private final NearCache near;
    private final boolean followsPublications;
    private final Runnable onClose;

    /**
     * @param followsPublications true when the tier learns of other instances' writes only from what
     *                            they publish (the store does not report changes to it)
     * @param onClose             stops whatever keeps the tier in step, when the store closes
     */
    public NearCachedStore(EntryStore store, NearCache near, boolean followsPublications, Runnable onClose) {
        this.store = store;
        this.near = near;
        this.followsPublications = followsPublications;
        this.onClose = onClose;
    }

    /** The store behind the tier. */
    public EntryStore backing() {
        return store;
    }

    /** The local tier, for whoever reports changes to it. */
    public NearCache nearCache() {
        return near;
    }

    /** True when the tier learns of other instances' writes only from what they publish. */
    public boolean followsPublications() {
        return followsPublications;
    }

    private boolean servesLocally() {
        return near.isTrusted() && store.allowsLocalCopies();
    }

    @Override
    public byte[] get(String encodedKey) {
        return store.get(encodedKey); // compare-and-set needs what the store holds now
    }

    /**
     * A value held locally is answered at once, or with an access TTL to apply once the store has
     * applied it and so shown that it still holds the entry; a miss fills the tier.
     */
    @Override
    public byte[] getAndExpire(String encodedKey, long ttl) {
        if (servesLocally()) {
            byte[] local = near.get(encodedKey);
            if (local != null) {
                // applying the access TTL tells whether Redis still holds the entry (it may have
                // been evicted, which nobody publishes): if not, the local copy is not served
                return expire(encodedKey, ttl) ? local : null;
            }
            Object token = near.beginLoad(encodedKey);
            TimedValue read = store.getWithTtl(encodedKey, ttl == Ttl.UNKNOWN ? Ttl.KEEP : ttl);
            near.completeLoad(encodedKey, token, read == null ? null : read.value(),
                    read == null ? 0 : read.remainingMillis());
            return read == null ? null : read.value();
        }
        try {
            return store.getAndExpire(encodedKey, ttl);
        } finally {
            if (ttl == Ttl.EXPIRE_NOW) {
                near.invalidate(encodedKey);
            }
        }
    }

    @Override
    public TimedValue getWithTtl(String encodedKey, long accessTtl) {
        try {
            return store.getWithTtl(encodedKey, accessTtl);
        } finally {
            if (accessTtl != Ttl.KEEP) {
                near.invalidate(encodedKey);
            }
        }
    }

    @Override
    public boolean allowsLocalCopies() {
        return store.allowsLocalCopies();
    }

    /** A new TTL voids the local copy, which was kept no longer than the TTL it was read with. */
    @Override
    public boolean expire(String encodedKey, long ttl) {
        if (ttl == Ttl.KEEP || ttl == Ttl.UNKNOWN) {
            return true;
        }
        near.invalidate(encodedKey);
        try {
            return store.expire(encodedKey, ttl);
        } finally {
            near.invalidate(encodedKey);
        }
    }

    @Override
    public boolean exists(String encodedKey) {
        if (servesLocally() && near.get(encodedKey) != null) {
            return true;
        }
        return store.exists(encodedKey);
    }

    @Override
    public MutationResult put(String encodedKey, byte[] value, long creationTtl, long updateTtl, boolean needOutcome,
                              boolean returnPrevious) {
        return writing(List.of(encodedKey), () -> store.put(encodedKey, value, creationTtl, updateTtl, needOutcome, returnPrevious));
    }

    @Override
    public MutationResult putIfAbsent(String encodedKey, byte[] value, long creationTtl) {
        return writing(List.of(encodedKey), () -> store.putIfAbsent(encodedKey, value, creationTtl));
    }

    @Override
    public MutationResult remove(String encodedKey, boolean returnPrevious) {
        return writing(List.of(encodedKey), () -> store.remove(encodedKey, returnPrevious));
    }

    @Override
    public MutationResult mutate(String encodedKey, Mutation mutation) {
        return writing(List.of(encodedKey), () -> store.mutate(encodedKey, mutation));
    }

    @Override
    public Map<String, byte[]> getAll(Collection<String> encodedKeys) {
        return store.getAll(encodedKeys);
    }

    @Override
    public Map<String, byte[]> getAllAndExpire(Collection<String> encodedKeys, long ttl) {
        try {
            return store.getAllAndExpire(encodedKeys, ttl);
        } finally {
            if (ttl == Ttl.EXPIRE_NOW) {
                encodedKeys.forEach(near::invalidate);
            }
        }
    }

    @Override
    public List<MutationResult> mutateAll(Map<String, Mutation> mutations) {
        return writing(mutations.keySet(), () -> store.mutateAll(mutations));
    }

    @Override
    public int putAll(Map<String, byte[]> values, long creationTtl, long updateTtl) {
        return writing(values.keySet(), () -> store.putAll(values, creationTtl, updateTtl));
    }

    @Override
    public long removeAll(Collection<String> encodedKeys) {
        return writing(encodedKeys, () -> store.removeAll(encodedKeys));
    }

    /** Runs a write of {@code encodedKeys}, then drops them from the tier, whatever its outcome. */
    private <T> T writing(Collection<String> encodedKeys, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            encodedKeys.forEach(near::invalidate);
        }
    }

    @Override
    public Iterator<String> scan(int batchSize) {
        return store.scan(batchSize);
    }

    @Override
    public Iterator<List<String>> batchesToRemove(int batchSize) {
        return store.batchesToRemove(batchSize);
    }

    @Override
    public long clear(int batchSize) {
        try {
            return store.clear(batchSize);
        } finally {
            near.invalidateAll();
        }
    }

    @Override
    public WriteLease lease(String encodedKey) {
        return store.lease(encodedKey);
    }

    @Override
    public void release(WriteLease lease) {
        store.release(lease);
    }

    @Override
    public String describe(String encodedKey) {
        return store.describe(encodedKey);
    }

    @Override
    public void close() {
        try {
            onClose.run();
        } finally {
            store.close();
        }
    }
}
