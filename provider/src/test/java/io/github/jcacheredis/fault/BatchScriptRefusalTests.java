package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.store.NaturalBatches;
import io.github.jcacheredis.testsupport.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batch script ({@code many.lua}) on a replica, which refuses writes as a master that just
 * became a replica in a failover does: each command Redis refuses replies its own error, so a
 * refused GETEX or SET fails only its own caller (and is not read as a miss), while the GETs of
 * the same batch answer their values. A GET of a key of another Redis type reads as absent, as
 * in MGET.
 */
class BatchScriptRefusalTests {

    private static RedisServer master;
    private static RedisServer replica;
    private static String script;

    @BeforeAll
    static void startServers() throws IOException {
        master = RedisServer.start();
        replica = RedisServer.startReplicaOf(master);
        try (InputStream many = NaturalBatches.class.getResourceAsStream("many.lua")) {
            script = new String(many.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stopServers() {
        replica.close();
        master.close();
    }

    @Test
    void aCommandThatAReplicaRefusesRepliesItsOwnErrorAndTheReadsOfTheBatchTheirValues() {
        String prefix = "batch-script-" + System.nanoTime() + ":";
        master.call("SET", prefix + "a", "\"A\"");
        master.call("SET", prefix + "b", "\"B\"");
        master.call("RPUSH", prefix + "list", "x");
        replica.awaitInSync(java.time.Duration.ofSeconds(10));

        List<?> replies = (List<?>) replica.call("EVAL", script, "5",
                prefix + "a", prefix + "b", prefix + "c", prefix + "list", prefix + "b",
                "GET", "", "1",
                "GETEX", "60000", "1",
                "SET", "KEEPTTL", "1", "\"C\"",
                "GET", "", "2");

        assertAll(
                () -> assertEquals("\"A\"", replies.get(0), "a GET before the refused commands"),
                () -> assertRefusedAsReadOnly(replies.get(1), "the GETEX"),
                () -> assertRefusedAsReadOnly(replies.get(2), "the SET"),
                () -> assertNull(replies.get(3), "a GET of a list reads as absent"),
                () -> assertEquals("\"B\"", replies.get(4), "a GET after the refused commands"),
                () -> assertNull(master.call("GET", prefix + "c"), "the refused SET wrote nothing"));
    }

    private static void assertRefusedAsReadOnly(Object reply, String command) {
        assertTrue(reply instanceof List<?> error && error.size() == 1 && error.get(0).toString().startsWith("READONLY"),
                command + " on a replica replies its error: " + reply);
    }
}
