package io.github.jcacheredis.store;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.api.listener.MessageListener;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

/**
 * The pub/sub side of one namespace: a control channel on which instances announce their
 * listeners and near caches, the registry of those ({@link ListenerRegistry}), and one event
 * channel per cache that write scripts publish to. Subscriptions are retried while the pub/sub
 * connection comes back ({@link Subscribing}), and report when Redisson restored them after the
 * connection was lost, since messages may have been missed meanwhile.
 */
public final class EventChannels {

    private final RedissonClient redis;
    private final RTopic control;
    private final ListenerRegistry registry;
    private final RedisCalls calls;
    private AutoCloseable controlSubscription;

    public EventChannels(RedissonClient redis, String namespace) {
        this.redis = redis;
        this.control = redis.getTopic(KeyLayout.escapeName(namespace) + ":%control", StringCodec.INSTANCE);
        this.registry = new ListenerRegistry(redis, namespace);
        this.calls = new RedisCalls("namespace " + namespace);
    }

    /**
     * Subscribes to the control channel; returns once the subscription is in place.
     * {@code onResubscribed} runs when it was restored after the connection was lost.
     */
    public synchronized void listenToControl(Consumer<String> onMessage, Runnable onResubscribed) {
        MessageListener<String> listener = (channel, message) -> onMessage.accept(message);
        controlSubscription = subscribe(control, String.class, listener, onResubscribed);
    }

    public ListenerRegistry registry() {
        return registry;
    }

    /** Runs {@code onDrop} whenever a connection to a server drops (see {@link ConnectionDrops}); close to stop. */
    public AutoCloseable onConnectionDrop(Runnable onDrop) {
        return ConnectionDrops.listen(redis, onDrop);
    }

    /** Publishes on the control channel; returns how many subscribers received it. */
    public long publishControl(String message) {
        return calls.call("PUBLISH", () -> control.publish(message));
    }

    /** The channel the write scripts of a cache publish its events to. */
    public static String eventChannel(KeyLayout layout) {
        return layout.prefix() + "%events";
    }

    /**
     * Subscribes to a cache's events; returns once subscribed. {@code onResubscribed} runs when the
     * subscription was restored after the connection was lost (messages may have been missed).
     * Close the result to unsubscribe.
     */
    public AutoCloseable listenToEvents(KeyLayout layout, Consumer<EventMessage> onMessage,
                                        Consumer<RuntimeException> onBadMessage, Runnable onResubscribed) {
        RTopic topic = redis.getTopic(eventChannel(layout), ByteArrayCodec.INSTANCE);
        MessageListener<byte[]> listener = (channel, message) -> {
            EventMessage parsed;
            try {
                parsed = EventMessage.parse(message);
            } catch (RuntimeException e) {
                onBadMessage.accept(e);
                return;
            }
            onMessage.accept(parsed);
        };
        return subscribe(topic, byte[].class, listener, onResubscribed);
    }

    /**
     * Publishes a message of this instance's on a cache's event channel that only this instance
     * acts upon: when it comes back, the subscription was in place after it was sent.
     */
    public void probe(KeyLayout layout, String origin, String nonce) {
        calls.call("PUBLISH", () -> redis.getTopic(eventChannel(layout), ByteArrayCodec.INSTANCE)
                .publish(EventMessage.encode(EventMessage.PROBE, origin, nonce)));
    }

    private <M> AutoCloseable subscribe(RTopic topic, Class<M> type, MessageListener<M> listener,
                                        Runnable onResubscribed) {
        AtomicBoolean subscribedOnce = new AtomicBoolean();
        StatusListener status = new BaseStatusListener() {
            @Override
            public void onSubscribe(String channel) {
                if (!subscribedOnce.compareAndSet(false, true)) {
                    onResubscribed.run();
                }
            }
        };
        // Redisson offers no removal of a status listener by itself; one left by a failed attempt at
        // most reports a restored subscription twice, which only empties a near cache once more
        int statusId = Subscribing.retrying(calls, "SUBSCRIBE", () -> topic.addListener(status), () -> { });
        int messageId;
        try {
            messageId = Subscribing.retrying(calls, "SUBSCRIBE", () -> topic.addListener(type, listener),
                    () -> topic.removeListener(listener));
        } catch (RuntimeException e) {
            topic.removeListener(statusId);
            throw e;
        }
        return () -> topic.removeListener(messageId, statusId);
    }

    public synchronized void close() {
        if (controlSubscription != null) {
            AutoCloseable subscription = controlSubscription;
            controlSubscription = null;
            calls.call("UNSUBSCRIBE", () -> {
                try {
                    subscription.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
        }
    }
}
