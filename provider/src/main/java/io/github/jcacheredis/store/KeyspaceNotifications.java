package io.github.jcacheredis.store;

import java.util.Map;
import java.util.function.Consumer;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.PatternMessageListener;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis keyspace notifications of expired entries: switches them on where the server allows
 * ({@code notify-keyspace-events} must include K and x), and subscribes to one cache's pattern on
 * every master.
 */
public final class KeyspaceNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceNotifications.class);
    private static final String PARAMETER = "notify-keyspace-events";

    private final RedissonClient redis;
    private final RedisCalls calls = new RedisCalls("keyspace notifications");
    private volatile boolean enabled;

    public KeyspaceNotifications(RedissonClient redis) {
        this.redis = redis;
    }

    /** Adds K and x to every master's notify-keyspace-events; warns once if the server refuses. */
    public void enableExpiredEvents() {
        if (enabled) {
            return;
        }
        try {
            for (RedisNode node : RedisTopology.masters(redis)) {
                Map<String, String> current = node.getConfig(PARAMETER);
                String flags = current.getOrDefault(PARAMETER, "");
                String wanted = withFlags(flags);
                if (!wanted.equals(flags)) {
                    node.setConfig(PARAMETER, wanted);
                }
            }
            enabled = true;
        } catch (RuntimeException e) {
            enabled = true;
            LOG.warn("cannot set {} on the Redis server ({}); EXPIRED events need it to include 'Kx'"
                    + " (or 'KA'): set it in the server's configuration", PARAMETER, e.getMessage());
        }
    }

    static String withFlags(String flags) {
        StringBuilder result = new StringBuilder(flags);
        if (flags.indexOf('K') < 0) {
            result.append('K');
        }
        if (flags.indexOf('x') < 0 && flags.indexOf('A') < 0) {
            result.append('x');
        }
        return result.toString();
    }

    /** Calls {@code onExpired} with the entry key of each of the cache's entries Redis expires. */
    public AutoCloseable listen(KeyLayout layout, Consumer<String> onExpired) {
        RPatternTopic topic = redis.getPatternTopic(layout.keyspacePattern(), StringCodec.INSTANCE);
        PatternMessageListener<String> listener = (pattern, channel, message) -> {
            if ("expired".equals(message)) {
                String key = layout.entryKeyOfNotification(channel.toString());
                if (key != null) {
                    onExpired.accept(key);
                }
            }
        };
        int id = Subscribing.retrying(calls, "PSUBSCRIBE", () -> topic.addListener(String.class, listener),
                () -> topic.removeListener(listener));
        return () -> topic.removeListener(id);
    }
}
