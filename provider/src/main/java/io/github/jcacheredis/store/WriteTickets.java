package io.github.jcacheredis.store;

/**
 * Numbers this instance's writes to a cache, so that the events they publish can be recognised
 * when they come back on the cache's channel: a writer that has listeners of its own delivers its
 * events from that channel too, in the order Redis applied the writes, interleaved correctly with
 * other instances' events.
 */
public interface WriteTickets {

    /** No numbering: the write's events are delivered by the writing thread alone. */
    WriteTickets NONE = new WriteTickets() {
        @Override
        public long open() {
            return 0;
        }

        @Override
        public void unused(long writeId) {
            // nothing was opened
        }
    };

    /** The number of a write about to be sent, or 0 when its events are not sequenced. */
    long open();

    /**
     * Nobody will wait for the events of write {@code writeId}: it published none, or it failed
     * (if it ran after all, its events are delivered when they come back).
     */
    void unused(long writeId);
}
