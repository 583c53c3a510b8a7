package io.github.jcacheredis.store;

import java.net.InetSocketAddress;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.connection.ConnectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when a connection of a Redisson client to a server drops. A subscription on it misses what
 * is published until Redisson has subscribed again, and Redisson reports only the second event
 * (the restored subscription), not the first; a near cache must stop trusting its invalidations
 * from the first. Redisson has no public API for it, so this reaches into its connection manager,
 * and does nothing for a client where that is not possible.
 */
public final class ConnectionDrops {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDrops.class);

    private ConnectionDrops() {
    }

    /** Runs {@code onDrop} (on a Redisson I/O thread) whenever a connection to a server drops; close to stop. */
    public static AutoCloseable listen(RedissonClient client, Runnable onDrop) {
        if (!(client instanceof Redisson redisson)) {
            return () -> { };
        }
        try {
            var hub = redisson.getServiceManager().getConnectionEventsHub();
            int id = hub.addListener(new ConnectionListener() {
                @Override
                public void onConnect(InetSocketAddress address) {
                    // a restored subscription is reported where it is made
                }

                @Override
                public void onDisconnect(InetSocketAddress address) {
                    onDrop.run();
                }
            });
            return () -> hub.removeListener(id);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("cannot follow the connections of {}; near caches learn of lost subscriptions when they are restored",
                    client, e);
            return () -> { };
        }
    }
}
