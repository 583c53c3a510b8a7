package io.github.jcacheredis.inmemory;

import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import io.github.jcacheredis.storage.Ttl;
import io.github.jcacheredis.storage.TtlResolver;
import io.github.jcacheredis.storage.WriteLease;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.cache.CacheException;

/**
 * The entries of one cache in this JVM's memory, with the semantics of the Redis store: TTLs in
 * milliseconds on an injected clock (an entry is gone once its deadline has come), conditional
 * writes applied atomically, a TTL left unknown asked of the resolver only for the case that
 * applies, and per-entry write leases. Nothing is shared with another JVM, and no event is
 * published: every result carries write id 0, so the caller delivers the events itself.
 */
public final class MemoryEntryStore implements EntryStore {

    /** How long a call waits for another thread's lease of the same entry. */
    static final long LEASE_WAIT_MILLIS = 10_000;

    private final String name;
    private final LongSupplier clock;
    private final TtlResolver ttls;
    private final Map<String, Entry> entries = new HashMap<>();
    /** The thread holding each entry's lease, and how many times it took it. */
    private final Map<String, Holder> leases = new HashMap<>();

    /**
     * @param name  how entries are named in messages ({@code name:encodedKey})
     * @param clock the current time in milliseconds
     * @param ttls  answers the TTL of a write that left it unknown
     */
    public MemoryEntryStore(String name, LongSupplier clock, TtlResolver ttls) {
        this.name = name;
        this.clock = clock;
        this.ttls = ttls;
    }

    /** A value and the time it expires at ({@link Long#MAX_VALUE}: never). */
    private record Entry(byte[] value, long deadline) {
    }

    private static final class Holder {
        private final Thread thread;
        private int count;

        Holder(Thread thread) {
            this.thread = thread;
        }
    }

    /** A lease of this store: the entry's value when taken; nested when its thread already held it. */
    private record Lease(String encodedKey, byte[] current, Thread thread) implements WriteLease {
    }

    @Override
    public synchronized byte[] get(String encodedKey) {
        Entry entry = live(encodedKey);
        return entry == null ? null : entry.value;
    }

    @Override
    public synchronized byte[] getAndExpire(String encodedKey, long ttl) {
        Entry entry = live(encodedKey);
        if (entry == null) {
            return null;
        }
        applyAccess(encodedKey, entry, ttl);
        return entry.value;
    }

    @Override
    public synchronized TimedValue getWithTtl(String encodedKey, long accessTtl) {
        byte[] value = getAndExpire(encodedKey, accessTtl);
        if (value == null) {
            return null;
        }
        Entry entry = live(encodedKey);
        if (entry == null) {
            return new TimedValue(value, 0);
        }
        return new TimedValue(value, entry.deadline == Long.MAX_VALUE ? -1 : entry.deadline - clock.getAsLong());
    }

    @Override
    public synchronized boolean expire(String encodedKey, long ttl) {
        Entry entry = live(encodedKey);
        if (entry == null) {
            return false;
        }
        applyAccess(encodedKey, entry, ttl);
        return true;
    }

    @Override
    public synchronized boolean exists(String encodedKey) {
        return live(encodedKey) != null;
    }

    @Override
    public MutationResult put(String encodedKey, byte[] value, long creationTtl, long updateTtl, boolean needOutcome,
                              boolean returnPrevious) {
        return mutate(encodedKey, Mutation.put(value, creationTtl, updateTtl, returnPrevious));
    }

    @Override
    public MutationResult putIfAbsent(String encodedKey, byte[] value, long creationTtl) {
        return mutate(encodedKey, Mutation.putIfAbsent(value, creationTtl));
    }

    @Override
    public MutationResult remove(String encodedKey, boolean returnPrevious) {
        return mutate(encodedKey, Mutation.remove(returnPrevious));
    }

    @Override
    public synchronized MutationResult mutate(String encodedKey, Mutation mutation) {
        try {
            return apply(encodedKey, mutation);
        } finally {
            if (mutation.lease() instanceof Lease lease) {
                releaseHeld(lease);
            }
        }
    }

    private MutationResult apply(String encodedKey, Mutation m) {
        if (m.lease() instanceof Lease lease && !holds(lease)) {
            return new MutationResult(Outcome.FENCED, null);
        }
        Entry entry = live(encodedKey);
        byte[] current = entry == null ? null : entry.value;
        boolean conflict = switch (m.precondition()) {
            case ANY -> false;
            case ABSENT -> current != null;
            case PRESENT -> current == null;
            case EQUALS -> current == null || !Arrays.equals(current, m.expected());
        };
        boolean read = m.precondition() == Mutation.Precondition.EQUALS || m.returnPrevious();
        byte[] previous = read ? current : null;
        if (conflict) {
            return new MutationResult(Outcome.CONFLICT, previous);
        }
        if (m.delete()) {
            if (current == null) {
                return new MutationResult(Outcome.ABSENT, null);
            }
            entries.remove(encodedKey);
            return new MutationResult(Outcome.DELETED, previous);
        }
        long ttl = current == null ? m.absentTtl() : m.presentTtl();
        if (ttl == Ttl.UNKNOWN) {
            ttl = current == null ? ttls.creation() : ttls.update();
        }
        if (ttl == Ttl.EXPIRE_NOW) {
            if (current == null) {
                return new MutationResult(Outcome.NOT_STORED, null);
            }
            entries.remove(encodedKey);
            return new MutationResult(Outcome.EXPIRED_ON_UPDATE, previous);
        }
        long deadline = ttl == Ttl.KEEP && entry != null ? entry.deadline : deadline(ttl);
        entries.put(encodedKey, new Entry(m.value(), deadline));
        return current == null ? new MutationResult(Outcome.CREATED, null) : new MutationResult(Outcome.UPDATED, previous);
    }

    @Override
    public synchronized Map<String, byte[]> getAll(Collection<String> encodedKeys) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (String encodedKey : encodedKeys) {
            Entry entry = live(encodedKey);
            if (entry != null) {
                values.put(encodedKey, entry.value);
            }
        }
        return values;
    }

    @Override
    public synchronized Map<String, byte[]> getAllAndExpire(Collection<String> encodedKeys, long ttl) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (String encodedKey : encodedKeys) {
            byte[] value = getAndExpire(encodedKey, ttl);
            if (value != null) {
                values.put(encodedKey, value);
            }
        }
        return values;
    }

    @Override
    public synchronized List<MutationResult> mutateAll(Map<String, Mutation> mutations) {
        List<MutationResult> results = new ArrayList<>(mutations.size());
        mutations.forEach((encodedKey, mutation) -> results.add(mutate(encodedKey, mutation)));
        return results;
    }

    @Override
    public synchronized int putAll(Map<String, byte[]> values, long creationTtl, long updateTtl) {
        values.forEach((encodedKey, value) -> mutate(encodedKey, Mutation.put(value, creationTtl, updateTtl, false)));
        return values.size();
    }

    @Override
    public synchronized long removeAll(Collection<String> encodedKeys) {
        long removed = 0;
        for (String encodedKey : encodedKeys) {
            if (live(encodedKey) != null) {
                entries.remove(encodedKey);
                removed++;
            }
        }
        return removed;
    }

    @Override
    public synchronized Iterator<String> scan(int batchSize) {
        List<String> live = new ArrayList<>();
        for (String encodedKey : new ArrayList<>(entries.keySet())) {
            if (live(encodedKey) != null) {
                live.add(encodedKey);
            }
        }
        return live.iterator();
    }

    @Override
    public synchronized long clear(int batchSize) {
        long count = entries.keySet().stream().filter(encodedKey -> live(encodedKey) != null).count();
        entries.clear();
        return count;
    }

    @Override
    public synchronized WriteLease lease(String encodedKey) {
        Thread me = Thread.currentThread();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEASE_WAIT_MILLIS);
        Holder holder = leases.get(encodedKey);
        while (holder != null && holder.thread != me) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CacheException("Cache[" + name + "]: another thread has held the write lease of key '"
                        + encodedKey + "' for more than " + LEASE_WAIT_MILLIS + " ms; nothing was written");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CacheException("interrupted while waiting for a write lease", e);
            }
            holder = leases.get(encodedKey);
        }
        if (holder == null) {
            holder = new Holder(me);
            leases.put(encodedKey, holder);
        }
        holder.count++;
        return new Lease(encodedKey, get(encodedKey), me);
    }

    @Override
    public synchronized void release(WriteLease lease) {
        releaseHeld((Lease) lease);
    }

    private boolean holds(Lease lease) {
        Holder holder = leases.get(lease.encodedKey());
        return holder != null && holder.thread == lease.thread();
    }

    private void releaseHeld(Lease lease) {
        Holder holder = leases.get(lease.encodedKey());
        if (holder != null && holder.thread == lease.thread() && --holder.count == 0) {
            leases.remove(lease.encodedKey());
            notifyAll();
        }
    }

    @Override
    public String describe(String encodedKey) {
        return name + ":" + encodedKey;
    }

    @Override
    public void close() {
        // nothing runs in the background
    }

    /** The entry, or null when absent or expired (an expired one is dropped). */
    private Entry live(String encodedKey) {
        Entry entry = entries.get(encodedKey);
        if (entry != null && entry.deadline <= clock.getAsLong()) {
            entries.remove(encodedKey);
            return null;
        }
        return entry;
    }

    private void applyAccess(String encodedKey, Entry entry, long ttl) {
        if (ttl == Ttl.KEEP || ttl == Ttl.UNKNOWN) {
            return;
        }
        if (ttl == Ttl.EXPIRE_NOW) {
            entries.remove(encodedKey);
            return;
        }
        entries.put(encodedKey, new Entry(entry.value, deadline(ttl)));
    }

    private long deadline(long ttl) {
        return Ttl.isMillis(ttl) ? clock.getAsLong() + ttl : Long.MAX_VALUE;
    }
}
