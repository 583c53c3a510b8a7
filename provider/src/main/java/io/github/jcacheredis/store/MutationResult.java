package io.github.jcacheredis.store;

/**
 * The result of a write: its {@link Outcome} and, when asked for or when a precondition failed,
 * the value the entry held before (null when there was none or it was not read), and the number
 * under which it published its events ({@link WriteTickets}; 0 when none).
 */
public record MutationResult(Outcome outcome, byte[] previous, long writeId) {

    public MutationResult(Outcome outcome, byte[] previous) {
        this(outcome, previous, 0);
    }

    /** The same result with another previous value (one the caller read itself). */
    public MutationResult withPrevious(byte[] value) {
        return new MutationResult(outcome, value, writeId);
    }

    static final MutationResult WRITTEN = new MutationResult(Outcome.WRITTEN, null);
    static final MutationResult CREATED = new MutationResult(Outcome.CREATED, null);
    static final MutationResult CONFLICT = new MutationResult(Outcome.CONFLICT, null);
    static final MutationResult ABSENT = new MutationResult(Outcome.ABSENT, null);
    static final MutationResult DELETED = new MutationResult(Outcome.DELETED, null);
    static final MutationResult SKIPPED = new MutationResult(Outcome.SKIPPED, null);
}
