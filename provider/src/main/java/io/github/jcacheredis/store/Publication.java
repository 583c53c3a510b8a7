package io.github.jcacheredis.store;

/**
 * Whether the writes of a cache publish their events, and how: the channel, this instance's origin
 * id (so it knows its own events), whether values travel along, while some instance listens for
 * expiry the grace for which each entry's shadow copy outlives it (0 when expiry is not tracked),
 * and how writes are numbered for an instance that sequences its own events with the others'.
 */
public record Publication(String channel, String origin, boolean withValues, long shadowGraceMillis,
                          WriteTickets tickets) {

    /** Publish nothing: nobody listens to this cache, for expiry or otherwise. */
    public static final Publication NONE = new Publication("", "", false, 0, WriteTickets.NONE);

    /** The origin a write numbered {@code writeId} publishes under: this instance's id, and the number. */
    public String originOf(long writeId) {
        return writeId == 0 ? origin : origin + '/' + writeId;
    }

    public boolean isActive() {
        return !channel.isEmpty();
    }

    /** True while writes keep shadow copies so that expiry can be reported with the value. */
    public boolean tracksExpiry() {
        return shadowGraceMillis > 0;
    }
}
