package io.github.jcacheredis.support;

import io.github.jcacheredis.store.EventChannels;
import io.github.jcacheredis.store.KeyLayout;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.RespClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Whether writes publish on a cache's event channel, seen from outside the provider: a connection
 * of the harness subscribes to the channel and to a private one. After a write, a marker published
 * on the private channel comes back behind whatever the write published, since Redis delivers one
 * subscriber's messages in the order the PUBLISH commands ran; so the messages that arrive before
 * the marker are exactly those the write published.
 */
public final class EventChannelWatch implements AutoCloseable {

    private final RespClient subscriber;
    private final RespClient publisher;
    private final String events;
    private final String markers = "watch-" + UUID.randomUUID();
    private long sent;

    public EventChannelWatch(RedisServer server, String namespace, String cache) {
        this.events = EventChannels.eventChannel(new KeyLayout(namespace, cache));
        this.subscriber = server.client().readTimeout(Duration.ofSeconds(10));
        this.publisher = server.client();
        subscriber.call("SUBSCRIBE", events, markers);
        subscriber.next(); // the confirmation of the second channel
    }

    /** Runs {@code write}; true when it published at least one message on the cache's channel. */
    public boolean publishes(Runnable write) {
        drain(); // anything published before, by anyone
        write.run();
        return drain() > 0;
    }

    /** Publishes a marker and reads up to it; returns how many event messages came before it. */
    private int drain() {
        String marker = Long.toString(++sent);
        publisher.call("PUBLISH", markers, marker);
        int messages = 0;
        while (true) {
            List<?> message = (List<?>) subscriber.next();
            if (message.get(1).equals(markers) && message.get(2).equals(marker)) {
                return messages;
            }
            if (message.get(1).equals(events)) {
                messages++;
            }
        }
    }

    @Override
    public void close() {
        subscriber.close();
        publisher.close();
    }
}
