package io.github.jcacheredis.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.cache.CacheException;

/**
 * Where a config file's servers send reads and subscriptions when they have replicas. Redisson
 * reads from replicas unless told otherwise, which loses read-your-writes: a get right after a put
 * may reach a replica the put has not reached yet. So a servers block that does not set
 * {@code readMode} reads from masters; one that sets it keeps its choice. Subscriptions must be on
 * masters whatever the file says: outside a cluster a PUBLISH on the master does not reach
 * subscribers on its replicas, and it counts only the subscribers of the node it ran on, which
 * registrations rely on.
 *
 * <p>This works on the file's YAML rather than on the parsed {@code Config}, whose defaults cannot
 * be told apart from values the file set.
 */
final class ReplicaRouting {

    /** The Redisson servers blocks that may have replicas. */
    static final List<String> REPLICATED_BLOCKS = List.of("clusterServersConfig", "sentinelServersConfig",
            "masterSlaveServersConfig", "replicatedServersConfig");

    static final String READ_MODE = "readMode";
    static final String SUBSCRIPTION_MODE = "subscriptionMode";
    static final String MASTER = "MASTER";
    static final String SCAN_INTERVAL = "scanInterval";
    /** How often a cluster client re-reads the layout when the file does not say (Redisson's default: 5 s). */
    static final int CLUSTER_SCAN_MILLIS = 1000;

    private ReplicaRouting() {
    }

    /**
     * Sets {@code readMode} and {@code subscriptionMode} to MASTER where the file leaves them out,
     * and a cluster's {@code scanInterval} to one second.
     */
    static void applyDefaults(Map<String, Object> redissonYaml, URI file) {
        for (String block : REPLICATED_BLOCKS) {
            if (redissonYaml.get(block) instanceof Map<?, ?> servers) {
                Map<Object, Object> settings = new LinkedHashMap<>(servers);
                settings.putIfAbsent(READ_MODE, MASTER);
                Object subscriptionMode = settings.putIfAbsent(SUBSCRIPTION_MODE, MASTER);
                if (subscriptionMode != null && !MASTER.equalsIgnoreCase(subscriptionMode.toString())) {
                    throw new CacheException("the config file " + file + " sets " + block + "." + SUBSCRIPTION_MODE
                            + " to " + subscriptionMode + "; the provider needs MASTER (replicas emit no expiry"
                            + " notifications and do not count in PUBLISH), so remove the setting");
                }
                if (block.equals("clusterServersConfig")) {
                    // after a failover, calls for the new master's slots wait for the next scan
                    settings.putIfAbsent(SCAN_INTERVAL, CLUSTER_SCAN_MILLIS);
                }
                redissonYaml.put(block, settings);
            }
        }
    }
}
