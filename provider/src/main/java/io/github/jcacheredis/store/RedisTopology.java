package io.github.jcacheredis.store;

import io.github.jcacheredis.config.ServerBlocks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.List;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;

/** The master nodes of whatever topology a Redisson client is configured for, and how fast it follows changes. */
final class RedisTopology {

    /** Each client's config, read once: Redisson copies it on every getConfig(), logging deprecations as it goes. */
    private static final Map<RedissonClient, Config> CONFIGS = Collections.synchronizedMap(new WeakHashMap<>());

    private RedisTopology() {
    }

    static Config config(RedissonClient redis) {
        return CONFIGS.computeIfAbsent(redis, RedissonClient::getConfig);
    }

    /**
     * How long a call keeps trying while the servers' layout changes: one scan interval (the
     * client learns a failover's new master or a slot's new node at its next scan) and a second
     * of slack.
     */
    static long settleMillis(RedissonClient redis) {
        Config config = config(redis);
        if (config.isClusterConfig()) {
            return config.useClusterServers().getScanInterval() + 1000L;
        }
        if (config.isSentinelConfig()) {
            return config.useSentinelServers().getScanInterval() + 1000L;
        }
        return 1000L;
    }

    /** How long the client waits for a reply ({@code timeout}). */
    static long timeoutMillis(RedissonClient redis) {
        return ServerBlocks.of(config(redis)).getTimeout();
    }

    /** True when the configured addresses use TLS ({@code rediss://}). */
    static boolean usesTls(Config config) {
        List<String> addresses = new ArrayList<>();
        if (config.isClusterConfig()) {
            addresses.addAll(config.useClusterServers().getNodeAddresses());
        } else if (config.isSentinelConfig()) {
            addresses.addAll(config.useSentinelServers().getSentinelAddresses());
        } else if (config.isSingleConfig()) {
            addresses.add(config.useSingleServer().getAddress());
        } else {
            try {
                addresses.add(config.useMasterSlaveServers().getMasterAddress());
            } catch (IllegalStateException replicated) {
                addresses.addAll(config.useReplicatedServers().getNodeAddresses());
            }
        }
        return addresses.stream().anyMatch(address -> address != null && address.startsWith("rediss://"));
    }

    static List<RedisNode> masters(RedissonClient redis) {
        Config config = config(redis);
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
