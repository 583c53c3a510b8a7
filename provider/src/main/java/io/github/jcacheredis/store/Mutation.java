package io.github.jcacheredis.store;

import io.github.jcacheredis.expiry.Ttl;

/**
 * A conditional write of one entry, run atomically by {@code mutate.lua}: a precondition on the
 * current value, then set or delete, with the TTL to apply if the entry is absent or present.
 */
public final class Mutation {

    enum Precondition {
        ANY("a"), ABSENT("n"), PRESENT("p"), EQUALS("e");

        final String code;

        Precondition(String code) {
            this.code = code;
        }
    }

    final Precondition precondition;
    final byte[] expected;
    final boolean delete;
    final byte[] value;
    final long absentTtl;
    final long presentTtl;
    final boolean returnPrevious;
    /** The write lease the writer holds, or null: the write is refused unless it still holds it. */
    final WriteLease lease;

    private Mutation(Precondition precondition, byte[] expected, boolean delete, byte[] value, long absentTtl,
                     long presentTtl, boolean returnPrevious, WriteLease lease) {
        this.precondition = precondition;
        this.expected = expected;
        this.delete = delete;
        this.value = value;
        this.absentTtl = absentTtl;
        this.presentTtl = presentTtl;
        this.returnPrevious = returnPrevious;
        this.lease = lease;
    }

    private Mutation(Precondition precondition, byte[] expected, boolean delete, byte[] value, long absentTtl,
                     long presentTtl, boolean returnPrevious) {
        this(precondition, expected, delete, value, absentTtl, presentTtl, returnPrevious, null);
    }

    /** Store {@code value} whether or not the entry exists. */
    public static Mutation put(byte[] value, long creationTtl, long updateTtl, boolean returnPrevious) {
        return new Mutation(Precondition.ANY, null, false, value, creationTtl, updateTtl, returnPrevious);
    }

    /** Store {@code value} only if the entry is absent. */
    public static Mutation putIfAbsent(byte[] value, long creationTtl) {
        return new Mutation(Precondition.ABSENT, null, false, value, creationTtl, Ttl.KEEP, false);
    }

    /** Store {@code value} only if the entry exists. */
    public static Mutation replace(byte[] value, long updateTtl, boolean returnPrevious) {
        return new Mutation(Precondition.PRESENT, null, false, value, Ttl.KEEP, updateTtl, returnPrevious);
    }

    /** Store {@code value} only if the entry currently holds exactly {@code expected}. */
    public static Mutation replaceIfEquals(byte[] expected, byte[] value, long updateTtl) {
        return new Mutation(Precondition.EQUALS, expected, false, value, Ttl.KEEP, updateTtl, true);
    }

    /**
     * Store {@code value} if the entry holds {@code expected}, or is absent when that is null. A
     * conflict reports the value the entry holds instead (null when absent).
     */
    public static Mutation compareAndSet(byte[] expected, byte[] value, long creationTtl, long updateTtl) {
        return expected == null
                ? new Mutation(Precondition.ABSENT, null, false, value, creationTtl, updateTtl, true)
                : new Mutation(Precondition.EQUALS, expected, false, value, creationTtl, updateTtl, true);
    }

    /** Remove the entry if it exists. */
    public static Mutation remove(boolean returnPrevious) {
        return new Mutation(Precondition.ANY, null, true, null, Ttl.KEEP, Ttl.KEEP, returnPrevious);
    }

    /** Remove the entry only if it holds exactly {@code expected}. */
    public static Mutation removeIfEquals(byte[] expected) {
        return new Mutation(Precondition.EQUALS, expected, true, null, Ttl.KEEP, Ttl.KEEP, true);
    }

    /** The same write with the unknown TTLs replaced. */
    public Mutation withTtls(long absentTtl, long presentTtl) {
        return new Mutation(precondition, expected, delete, value, absentTtl, presentTtl, returnPrevious, lease);
    }

    /**
     * The same write, fenced by {@code lease}: it applies only while the lease is still held, and
     * releases it (unless it answers that a TTL must be supplied first).
     */
    public Mutation fencedBy(WriteLease lease) {
        return new Mutation(precondition, expected, delete, value, absentTtl, presentTtl, returnPrevious, lease);
    }

    /** True when, skipped while Redis is unreachable, this write must be undone once it is back. */
    boolean skipCounts() {
        return precondition == Precondition.ANY || precondition == Precondition.ABSENT;
    }

    /** The result this write reports when skipped: as if the cache were empty. */
    MutationResult whenDegraded() {
        if (!skipCounts()) {
            return MutationResult.CONFLICT;
        }
        return delete ? MutationResult.ABSENT : MutationResult.SKIPPED;
    }

    public long absentTtl() {
        return absentTtl;
    }

    public long presentTtl() {
        return presentTtl;
    }

}
