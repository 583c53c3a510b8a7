package io.github.jcacheredis.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.testsupport.RedisServer.ClientType;
import io.github.jcacheredis.testsupport.RedisServer.PauseMode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The faults a {@link RedisServer} can be put through really happen, on 7.0 and on the embedded 6.2. */
class ServerFaultsIntegrationTests {

    private static final Duration SHORT = Duration.ofMillis(300);

    private static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void stallReturnsAtOnceWhileEveryConnectionWaitsForItsEnd() {
        try (RespClient open = server.client(); RespClient late = server.client().readTimeout(SHORT)) {
            long start = System.nanoTime();
            try (Stall stall = server.stall(Duration.ofMillis(1500))) {
                assertFalse(stall.isOver(), "stall() returned only after the stall");
                assertThrows(UncheckedIOException.class, () -> late.call("PING"), "a connection is answered during the stall");
                assertEquals("PONG", open.call("PING"));
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 1500, "the open connection waited for the end");
        }
    }

    @Test
    void writePauseHoldsWritesAndServesReads() {
        server.call("SET", "paused", "before");
        server.pauseClients(Duration.ofSeconds(20), PauseMode.WRITE);
        try (RespClient reader = server.client().readTimeout(SHORT); RespClient writer = server.client().readTimeout(SHORT)) {
            assertEquals("before", reader.call("GET", "paused"));
            assertThrows(UncheckedIOException.class, () -> writer.call("SET", "paused", "during"));
            server.unpauseClients();
            Await.until("the held write ran", Duration.ofSeconds(5), () -> "during".equals(server.call("GET", "paused")));
        } finally {
            server.unpauseClients();
        }
    }

    @Test
    void killClientsClosesOnlyConnectionsOfThatType() {
        try (RespClient subscriber = server.client(); RespClient plain = server.client()) {
            subscriber.call("SUBSCRIBE", "faults");
            assertEquals(1L, server.killClients(ClientType.PUBSUB));
            assertEquals("", server.call("CLIENT", "LIST", "TYPE", "pubsub"));
            assertEquals("PONG", plain.call("PING"));
            assertThrows(UncheckedIOException.class, () -> subscriber.call("PING"));
        }
    }

    @Test
    void replicaStartsInSyncAndCatchesUpOnRequest() {
        server.call("SET", "replicated", "1");
        try (RedisServer replica = RedisServer.startReplicaOf(server)) {
            assertEquals("slave", replica.role());
            assertEquals("1", replica.call("GET", "replicated"));
            for (int i = 0; i < 1000; i++) {
                server.call("SET", "replicated", String.valueOf(i));
            }
            replica.awaitInSync(Duration.ofSeconds(10));
            assertEquals("999", replica.call("GET", "replicated"));

            replica.restart();
            replica.awaitInSync(Duration.ofSeconds(10));
            assertEquals("999", replica.call("GET", "replicated"), "a restarted replica syncs from its master again");
        }
    }

    @Test
    void restartStopsARunningServerAndStartsItEmptyOnTheSamePort() {
        try (RedisServer own = RedisServer.start()) {
            own.call("SET", "k", "v");
            int port = own.port();
            own.restart();
            assertTrue(own.isRunning());
            assertEquals(port, own.port());
            assertNull(own.call("GET", "k"));
            assertEquals(List.of("master"), List.of(own.role()));
        }
    }
}
