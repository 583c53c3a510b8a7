package io.github.jcacheredis.store;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.redisson.api.RMap;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.api.listener.MessageListener;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

/**
 * The pub/sub side of one namespace: a control channel on which instances announce their
 * listeners, a hash registering which instance listens to which cache (with a lease), and one
 * event channel per cache that write scripts publish to. Subscriptions are retried while the
 * pub/sub connection comes back ({@link Subscribing}).
 */
public final class EventChannels {

    private final RedissonClient redis;
    private final RTopic control;
    private final RMap<String, String> registry;
    private final RedisCalls calls;
    private Integer controlListener;

    public EventChannels(RedissonClient redis, String namespace) {
        this.redis = redis;
        String base = KeyLayout.escapeName(namespace);
        this.control = redis.getTopic(base + ":%control", StringCodec.INSTANCE);
        this.registry = redis.getMap(base + ":%listeners", StringCodec.INSTANCE);
        this.calls = new RedisCalls("namespace " + namespace);
    }

    /** Subscribes to the control channel; returns once the subscription is in place. */
    public synchronized void listenToControl(Consumer<String> onMessage) {
        MessageListener<String> listener = (channel, message) -> onMessage.accept(message);
        controlListener = Subscribing.retrying(calls, "SUBSCRIBE", () -> control.addListener(String.class, listener),
                () -> control.removeListener(listener));
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
        AtomicBoolean subscribedOnce = new AtomicBoolean();
        StatusListener statusListener = new BaseStatusListener() {
            @Override
            public void onSubscribe(String channel) {
                if (!subscribedOnce.compareAndSet(false, true)) {
                    onResubscribed.run();
                }
            }
        };
        // Redisson offers no removal of a status listener by itself; one left by a failed attempt at
        // most reports a restored subscription twice, which only empties a near cache once more
        int status = Subscribing.retrying(calls, "SUBSCRIBE", () -> topic.addListener(statusListener), () -> { });
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
        int id;
        try {
            id = Subscribing.retrying(calls, "SUBSCRIBE", () -> topic.addListener(byte[].class, listener),
                    () -> topic.removeListener(listener));
        } catch (RuntimeException e) {
            topic.removeListener(status);
            throw e;
        }
        return () -> topic.removeListener(id, status);
    }

    public void register(String field, String value) {
        calls.call("HSET", () -> registry.fastPut(field, value));
    }

    public void unregister(String field) {
        calls.call("HDEL", () -> registry.fastRemove(field));
    }

    public Map<String, String> registrations() {
        return calls.call("HGETALL", registry::readAllMap);
    }

    public synchronized void close() {
        if (controlListener != null) {
            Integer id = controlListener;
            controlListener = null;
            calls.call("UNSUBSCRIBE", () -> {
                control.removeListener(id);
                return null;
            });
        }
    }
}
