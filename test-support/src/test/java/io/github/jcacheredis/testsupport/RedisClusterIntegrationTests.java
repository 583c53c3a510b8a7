package io.github.jcacheredis.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A cluster with replicas starts settled, fails over for real and moves slots with their keys. */
class RedisClusterIntegrationTests {

    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(3, 1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void everyMasterHasAReplicaInSync() {
        List<RedisServer> masters = cluster.masters();
        assertEquals(3, masters.size());
        assertEquals(3, cluster.replicas().size());
        RedisServer owner = cluster.masterForSlot(RedisCluster.slotOf("in-sync"));
        owner.call("SET", "in-sync", "yes");
        RedisServer replica = cluster.replicasOf(owner).get(0);
        replica.awaitInSync(java.time.Duration.ofSeconds(10));
        try (RespClient client = replica.client()) {
            client.call("READONLY");
            assertEquals("yes", client.call("GET", "in-sync"));
        }
    }

    @Test
    void slotOfAgreesWithTheServer() {
        for (String key : List.of("a", "{user}1", "{user}2", "foo{}{bar}", "{}x", "x{y", "\u00fcber")) {
            assertEquals(cluster.masters().get(0).call("CLUSTER", "KEYSLOT", key), (long) RedisCluster.slotOf(key), key);
        }
    }

    @Test
    void failoverSwapsMasterAndReplicaAndKeepsTheData() {
        RedisServer master = cluster.masters().get(1);
        int slot = cluster.slotsOf(master).get(0);
        String key = keysInSlots(Set.of(slot), 1).get(0);
        master.call("SET", key, "kept");
        RedisServer replica = cluster.replicasOf(master).get(0);

        Failover failover = cluster.failover(master);
        RedisServer promoted = failover.newMaster();

        assertSame(replica, promoted);
        assertSame(master, failover.oldMaster());
        assertTrue(failover.requestedNanos() < failover.rolesSwappedNanos());
        assertEquals("master", promoted.role());
        assertEquals("slave", master.role());
        assertSame(promoted, cluster.masterForSlot(slot));
        assertEquals(List.of(master), cluster.replicasOf(promoted));
        assertEquals("kept", promoted.call("GET", key));
        RespClient.RedisReplyException moved = assertThrows(RespClient.RedisReplyException.class,
                () -> master.call("GET", key));
        assertTrue(moved.getMessage().startsWith("MOVED"), moved.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Resharding.class)
    void reshardMovesTheLowestSlotsWithTheirKeys(Resharding method) {
        org.junit.jupiter.api.Assumptions.assumeTrue(method != Resharding.REDIS_CLI || RedisBinary.redisCli().isPresent(),
                "no redis-cli next to the redis-server in use");
        RedisServer from = cluster.masters().get(0);
        RedisServer to = cluster.masters().get(2);
        List<Integer> lowest = cluster.slotsOf(from).subList(0, 40);
        List<String> keys = keysInSlots(new HashSet<>(lowest), 200);
        keys.forEach(key -> from.call("SET", key, key));

        List<Integer> moved = cluster.reshard(from, to, 40, method);

        assertEquals(lowest, moved);
        moved.forEach(slot -> assertSame(to, cluster.masterForSlot(slot)));
        assertNotEquals(moved.get(0), cluster.slotsOf(from).get(0));
        for (String key : keys) {
            assertEquals(key, to.call("GET", key));
        }
        moved.forEach(slot -> assertEquals(0L, from.call("CLUSTER", "COUNTKEYSINSLOT", slot)));
    }

    private static List<String> keysInSlots(Set<Integer> slots, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            String key = "key-" + i;
            if (slots.contains(RedisCluster.slotOf(key))) {
                keys.add(key);
            }
        }
        return keys;
    }
}
