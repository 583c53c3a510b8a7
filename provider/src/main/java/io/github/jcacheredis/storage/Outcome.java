package io.github.jcacheredis.storage;

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
    /** Redis was unreachable and the manager degrades: the write was skipped (and will be undone). */
    SKIPPED,
    /** The write was refused: the writer no longer held the entry's write lease. */
    FENCED;

    /** True when the write changed the entry, so that it has events (published by a Redis store). */
    public boolean publishes() {
        return this == CREATED || this == UPDATED || this == DELETED || this == EXPIRED_ON_UPDATE;
    }

    /** True when the entry now holds the new value. */
    public boolean stored() {
        return this == CREATED || this == UPDATED || this == WRITTEN;
    }
}
