package io.github.jcacheredis.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisServerIntegrationTests {

    @Test
    void startsOnFreePortAndRestartsEmptyAfterKill() {
        try (RedisServer server = RedisServer.start()) {
            assertEquals("OK", server.call("SET", "k", "v"));
            assertEquals("v", server.call("GET", "k"));

            server.kill();
            assertFalse(server.isRunning());
            assertThrows(RuntimeException.class, () -> server.call("PING"));

            server.restart();
            assertTrue(server.isRunning());
            assertNull(server.call("GET", "k"), "a restarted test server keeps nothing on disk");
        }
    }

    @Test
    void clusterServesEverySlotAcrossMasters() {
        try (RedisCluster cluster = RedisCluster.start(3)) {
            for (RedisServer master : cluster.masters()) {
                String info = master.call("CLUSTER", "INFO").toString();
                assertTrue(info.contains("cluster_state:ok"), info);
                assertTrue(info.contains("cluster_slots_assigned:16384"), info);
            }
            // key "a" hashes to slot 15495, served by the last master
            RedisServer owner = cluster.masterForSlot(15495);
            assertEquals("OK", owner.call("SET", "a", "1"));
        }
    }
}
