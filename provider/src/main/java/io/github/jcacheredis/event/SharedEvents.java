package io.github.jcacheredis.event;

/**
 * A cache's link to the other instances that share its entries: told when this instance's
 * listeners change, so that the others send it their events. {@link #NONE} for a store no other
 * instance shares.
 */
public interface SharedEvents extends AutoCloseable {

    SharedEvents NONE = new SharedEvents() {
        @Override
        public void localListenersChanged() {
        }

        @Override
        public void close() {
        }
    };

    /** Called after local listeners were registered or deregistered. */
    void localListenersChanged();

    /** The cache closed: withdraws its registrations. */
    @Override
    void close();
}
