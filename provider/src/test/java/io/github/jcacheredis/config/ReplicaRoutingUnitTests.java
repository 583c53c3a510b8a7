package io.github.jcacheredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SubscriptionMode;

/** A config file's servers read from masters unless the file chooses otherwise; subscriptions always do. */
class ReplicaRoutingUnitTests {

    private static final Map<String, String> SERVERS = Map.of(
            "clusterServersConfig", "  nodeAddresses: [\"redis://10.0.0.1:7000\"]\n",
            "sentinelServersConfig", "  masterName: \"mymaster\"\n  sentinelAddresses: [\"redis://10.0.0.1:26379\"]\n",
            "masterSlaveServersConfig", "  masterAddress: \"redis://10.0.0.1:6379\"\n  slaveAddresses: [\"redis://10.0.0.2:6379\"]\n",
            "replicatedServersConfig", "  nodeAddresses: [\"redis://10.0.0.1:6379\"]\n");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"clusterServersConfig", "sentinelServersConfig", "masterSlaveServersConfig",
            "replicatedServersConfig"})
    void aServersBlockWithoutReadModeReadsAndSubscribesOnMasters(String block) throws IOException {
        BaseMasterSlaveServersConfig<?> servers = servers(block, "");
        assertEquals(ReadMode.MASTER, servers.getReadMode());
        assertEquals(SubscriptionMode.MASTER, servers.getSubscriptionMode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SLAVE", "MASTER_SLAVE"})
    void anExplicitReadModeIsKept(String readMode) throws IOException {
        assertEquals(ReadMode.valueOf(readMode), servers("clusterServersConfig", "  readMode: " + readMode + "\n").getReadMode());
        assertEquals(ReadMode.valueOf(readMode), servers("masterSlaveServersConfig", "  readMode: " + readMode + "\n").getReadMode());
    }

    @Test
    void subscriptionsOnReplicasAreRefusedWithTheReason() throws IOException {
        CacheException refused = assertThrows(CacheException.class,
                () -> servers("sentinelServersConfig", "  subscriptionMode: SLAVE\n"));
        assertTrue(refused.getMessage().contains("sentinelServersConfig.subscriptionMode"), refused.getMessage());
        assertEquals(SubscriptionMode.MASTER,
                servers("sentinelServersConfig", "  subscriptionMode: MASTER\n").getSubscriptionMode());
    }

    @Test
    void aSingleServerFileIsLeftAsItIs() throws IOException {
        Config config = resolve("singleServerConfig:\n  address: \"redis://10.0.0.1:6379\"\n  database: 2\n");
        assertEquals(2, config.useSingleServer().getDatabase());
    }

    /** The servers of a file holding {@code block}, with its addresses and {@code extra} lines. */
    private BaseMasterSlaveServersConfig<?> servers(String block, String extra) throws IOException {
        Config config = resolve(block + ":\n" + SERVERS.get(block) + extra);
        return switch (block) {
            case "clusterServersConfig" -> config.useClusterServers();
            case "sentinelServersConfig" -> config.useSentinelServers();
            case "masterSlaveServersConfig" -> config.useMasterSlaveServers();
            default -> config.useReplicatedServers();
        };
    }

    private Config resolve(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("redisson.yaml"), yaml);
        URI uri = file.toUri();
        return ManagerConfig.resolve(uri, new Properties(), getClass().getClassLoader()).connection().config().get();
    }
}
