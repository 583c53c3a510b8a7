package io.github.jcacheredis.store;

/**
 * Whether the writes of a cache publish their events for other instances, and where: the channel,
 * this instance's origin id (so it can skip its own events), and whether values travel along.
 */
public record Publication(String channel, String origin, boolean withValues) {

    /** Publish nothing: no other instance listens to this cache. */
    public static final Publication NONE = new Publication("", "", false);

    public boolean isActive() {
        return !channel.isEmpty();
    }
}
