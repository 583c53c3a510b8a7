package io.github.jcacheredis.store;

/**
 * The result of a write: its {@link Outcome} and, when asked for or when a precondition failed,
 * the value the entry held before (null when there was none or it was not read).
 */
public record MutationResult(Outcome outcome, byte[] previous) {

    static final MutationResult WRITTEN = new MutationResult(Outcome.WRITTEN, null);
    static final MutationResult CREATED = new MutationResult(Outcome.CREATED, null);
    static final MutationResult CONFLICT = new MutationResult(Outcome.CONFLICT, null);
    static final MutationResult ABSENT = new MutationResult(Outcome.ABSENT, null);
    static final MutationResult DELETED = new MutationResult(Outcome.DELETED, null);
    static final MutationResult SKIPPED = new MutationResult(Outcome.SKIPPED, null);
}
