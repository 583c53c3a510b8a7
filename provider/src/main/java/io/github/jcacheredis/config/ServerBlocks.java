package io.github.jcacheredis.config;

import org.redisson.config.BaseConfig;
import org.redisson.config.Config;

/** The servers block of a Redisson config, whatever topology it uses. */
public final class ServerBlocks {

    private ServerBlocks() {
    }

    /** The single, cluster, sentinel, master/replica or replicated servers block of {@code config}. */
    public static BaseConfig<?> of(Config config) {
        if (config.isClusterConfig()) {
            return config.useClusterServers();
        }
        if (config.isSentinelConfig()) {
            return config.useSentinelServers();
        }
        if (config.isSingleConfig()) {
            return config.useSingleServer();
        }
        try {
            return config.useMasterSlaveServers();
        } catch (IllegalStateException replicated) {
            return config.useReplicatedServers();
        }
    }
}
