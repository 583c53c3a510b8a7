package io.github.jcacheredis.store;

/** What a write did to an entry, as reported by the store. */
public enum Outcome {
    /** The precondition did not hold; nothing changed. */
    CONFLICT,
    /** A new entry was stored. */
    CREATED,
    /** An existing entry got a new value. */
    UPDATED,
    /** The value was stored; whether it existed before was not asked for. */
    WRITTEN,
    /** The entry was removed. */
    DELETED,
    /** A new entry was not stored because its creation TTL was zero. */
    NOT_STORED,
    /** An existing entry was removed because its update TTL was zero. */
    EXPIRED_ON_UPDATE,
    /** There was no entry to remove. */
    ABSENT,
    /** The entry is absent and the creation TTL must be supplied. */
    NEED_CREATION_TTL,
    /** The entry is present and the update TTL must be supplied. */
    NEED_UPDATE_TTL,
    /** Redis was unreachable and the manager degrades: the write was skipped (and will be undone). */
    SKIPPED,
    /** The write was refused: the writer no longer held the entry's write lease. */
    FENCED;

    static Outcome ofScriptStatus(long status) {
        return switch ((int) status) {
            case 0 -> CONFLICT;
            case 1 -> CREATED;
            case 2 -> UPDATED;
            case 3 -> DELETED;
            case 4 -> NOT_STORED;
            case 5 -> EXPIRED_ON_UPDATE;
            case 6 -> ABSENT;
            case 7 -> FENCED;
            case -1 -> NEED_CREATION_TTL;
            case -2 -> NEED_UPDATE_TTL;
            default -> throw new IllegalStateException("unknown script status " + status);
        };
    }

    /** True when the write script published events for this outcome. */
    public boolean publishes() {
        return this == CREATED || this == UPDATED || this == DELETED || this == EXPIRED_ON_UPDATE;
    }

    /** True when the entry now holds the new value. */
    public boolean stored() {
        return this == CREATED || this == UPDATED || this == WRITTEN;
    }
}
