package io.github.jcacheredis.store;

import java.util.ArrayList;
import java.util.List;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;

/** The master nodes of whatever topology a Redisson client is configured for, and how fast it follows changes. */
final class RedisTopology {

    private RedisTopology() {
    }

    /**
     * How long a call keeps trying while the servers' layout changes: one scan interval (the
     * client learns a failover's new master or a slot's new node at its next scan) and a second
     * of slack.
     */
    static long settleMillis(RedissonClient redis) {
        Config config = redis.getConfig();
        if (config.isClusterConfig()) {
            return config.useClusterServers().getScanInterval() + 1000L;
        }
        if (config.isSentinelConfig()) {
            return config.useSentinelServers().getScanInterval() + 1000L;
        }
        return 1000L;
    }

    static List<RedisNode> masters(RedissonClient redis) {
        Config config = redis.getConfig();
        List<RedisNode> nodes = new ArrayList<>();
        if (config.isClusterConfig()) {
            nodes.addAll(redis.getRedisNodes(RedisNodes.CLUSTER).getMasters());
        } else if (config.isSentinelConfig()) {
            nodes.add(redis.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster());
        } else if (config.isSingleConfig()) {
            nodes.add(redis.getRedisNodes(RedisNodes.SINGLE).getInstance());
        } else {
            nodes.add(redis.getRedisNodes(RedisNodes.MASTER_SLAVE).getMaster());
        }
        return nodes;
    }
}
