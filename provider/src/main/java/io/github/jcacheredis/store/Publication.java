package io.github.jcacheredis.store;

/**
 * Whether the writes of a cache publish their events for other instances, and how: the channel,
 * this instance's origin id (so it can skip its own events), whether values travel along, and,
 * while some instance listens for expiry, the grace for which each entry's shadow copy outlives it
 * (0 when expiry is not tracked).
 */
public record Publication(String channel, String origin, boolean withValues, long shadowGraceMillis) {

    /** Publish nothing: no other instance listens to this cache and nobody listens for expiry. */
    public static final Publication NONE = new Publication("", "", false, 0);

    public boolean isActive() {
        return !channel.isEmpty();
    }

    /** True while writes keep shadow copies so that expiry can be reported with the value. */
    public boolean tracksExpiry() {
        return shadowGraceMillis > 0;
    }
}
