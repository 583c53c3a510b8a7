package io.github.jcacheredis.storage;

import io.github.jcacheredis.storage.Ttl;

/**
 * A conditional write of one entry, which a store applies atomically: a precondition on the
 * current value, then set or delete, with the TTL to apply if the entry is absent or present.
 */
public final class Mutation {

    /** What the entry must hold for the write to apply. */
    public enum Precondition {
        ANY("a"), ABSENT("n"), PRESENT("p"), EQUALS("e");

        private final String code;

        Precondition(String code) {
            this.code = code;
        }

        /** The one-letter code the Redis write script takes. */
        public String code() {
            return code;
        }
    }

    private final Precondition precondition;
    private final byte[] expected;
    private final boolean delete;
    private final byte[] value;
    private final long absentTtl;
    private final long presentTtl;
    private final boolean returnPrevious;
    /** The write lease the writer holds, or null: the write is refused unless it still holds it. */
    private final WriteLease lease;

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

    /** The same write with other TTLs (an unknown one resolved). */
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

    /**
     * True when a degraded store (Redis unreachable) skips this write, to be undone once Redis is
     * back: it applies whatever the entry holds, or only when absent, so an empty cache would take it.
     * A write that needs the entry present or equal to a value finds it absent instead.
     */
    public boolean skippedWhenDegraded() {
        return precondition == Precondition.ANY || precondition == Precondition.ABSENT;
    }

    /** The result this write reports when skipped: as if the cache were empty. */
    public MutationResult whenDegraded() {
        if (!skippedWhenDegraded()) {
            return MutationResult.CONFLICT;
        }
        return delete ? MutationResult.ABSENT : MutationResult.SKIPPED;
    }

    public Precondition precondition() {
        return precondition;
    }

    /** The value the entry must hold (precondition {@link Precondition#EQUALS}), else null. */
    public byte[] expected() {
        return expected;
    }

    /** True for a removal, false for a write of {@link #value}. */
    public boolean delete() {
        return delete;
    }

    /** The new value, null for a removal. */
    public byte[] value() {
        return value;
    }

    /** The TTL if the entry is absent (creation), a {@link Ttl} code or milliseconds. */
    public long absentTtl() {
        return absentTtl;
    }

    /** The TTL if the entry is present (update), a {@link Ttl} code or milliseconds. */
    public long presentTtl() {
        return presentTtl;
    }

    public boolean returnPrevious() {
        return returnPrevious;
    }

    /** The write lease that fences this write, or null. */
    public WriteLease lease() {
        return lease;
    }
}
