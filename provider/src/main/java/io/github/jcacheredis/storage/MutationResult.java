package io.github.jcacheredis.storage;

/**
 * The result of a write: its {@link Outcome} and, when asked for or when a precondition failed,
 * the value the entry held before (null when there was none or it was not read), and the number
 * under which it published its events for this instance's listeners (0 when none: the caller
 * delivers them at once).
 */
public record MutationResult(Outcome outcome, byte[] previous, long writeId) {

    public MutationResult(Outcome outcome, byte[] previous) {
        this(outcome, previous, 0);
    }

    /** The same result with another previous value (one the caller read itself). */
    public MutationResult withPrevious(byte[] value) {
        return new MutationResult(outcome, value, writeId);
    }

    public static final MutationResult WRITTEN = new MutationResult(Outcome.WRITTEN, null);
    public static final MutationResult CREATED = new MutationResult(Outcome.CREATED, null);
    public static final MutationResult CONFLICT = new MutationResult(Outcome.CONFLICT, null);
    public static final MutationResult ABSENT = new MutationResult(Outcome.ABSENT, null);
    public static final MutationResult DELETED = new MutationResult(Outcome.DELETED, null);
    public static final MutationResult SKIPPED = new MutationResult(Outcome.SKIPPED, null);
}
