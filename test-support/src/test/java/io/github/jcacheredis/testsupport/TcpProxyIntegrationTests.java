package io.github.jcacheredis.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The faults of the network path a {@link TcpProxy} injects happen, and only on the connection they pick. */
class TcpProxyIntegrationTests {

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
    void aHeldRequestReachesTheServerOnlyWhenReleasedWhileOtherConnectionsFlow() throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(server);
             RespClient held = new RespClient("127.0.0.1", proxy.port());
             RespClient other = new RespClient("127.0.0.1", proxy.port())) {
            TcpProxy.Hold hold = proxy.holdRequest("held-key");
            CompletableFuture<Object> write = CompletableFuture.supplyAsync(() -> held.call("SET", "held-key", "1"));
            hold.awaitHeld(Duration.ofSeconds(5));
            assertEquals("PONG", other.call("PING"));
            assertEquals(null, server.call("GET", "held-key"), "not in Redis while held");
            hold.release();
            assertEquals("OK", write.get(5, TimeUnit.SECONDS));
            assertEquals("1", server.call("GET", "held-key"));
        }
    }

    @Test
    void aHoldArmedAfterARequestWithItsMarkerWaitsForTheNextSuchRequest() throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(server);
             RespClient client = new RespClient("127.0.0.1", proxy.port()).readTimeout(Duration.ofSeconds(2))) {
            assertEquals("OK", client.call("SET", "marked-key", "0")); // forwarded before the hold is armed
            TcpProxy.Hold hold = proxy.holdRequest("marked-key");
            assertEquals("PONG", client.call("PING"), "a request without the marker on the same connection flows");
            assertFalse(hold.isHolding());
            CompletableFuture<Object> write = CompletableFuture.supplyAsync(() -> client.call("SET", "marked-key", "1"));
            hold.awaitHeld(Duration.ofSeconds(5));
            assertEquals("0", server.call("GET", "marked-key"), "not in Redis while held");
            hold.release();
            assertEquals("OK", write.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aHeldReplyLeavesTheRequestRunButTheClientWaiting() throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(server);
             RespClient client = new RespClient("127.0.0.1", proxy.port())) {
            TcpProxy.Hold hold = proxy.holdReply("reply-key");
            CompletableFuture<Object> write = CompletableFuture.supplyAsync(() -> client.call("SET", "reply-key", "1"));
            hold.awaitHeld(Duration.ofSeconds(5));
            assertEquals("1", server.call("GET", "reply-key"), "the server ran it");
            assertFalse(write.isDone(), "the client has no reply yet");
            hold.release();
            assertEquals("OK", write.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void cutConnectionsAndRefusedOnesFailUntilAcceptedAgain() {
        try (TcpProxy proxy = TcpProxy.inFrontOf(server);
             RespClient marked = new RespClient("127.0.0.1", proxy.port()).readTimeout(Duration.ofSeconds(2));
             RespClient spared = new RespClient("127.0.0.1", proxy.port())) {
            marked.call("ECHO", "mark-me");
            // a connection is only the proxy's once it has carried a request: one still waiting in
            // the listen backlog when refusal starts would be refused like a new one
            assertEquals("PONG", spared.call("PING"));
            proxy.refuseConnections(true);
            assertEquals(1, proxy.cut("mark-me"));
            assertThrows(UncheckedIOException.class, () -> marked.call("PING"));
            assertEquals("PONG", spared.call("PING"), "other connections are not cut");
            assertThrows(UncheckedIOException.class, () -> {
                try (RespClient refused = new RespClient("127.0.0.1", proxy.port()).readTimeout(Duration.ofSeconds(2))) {
                    refused.call("PING");
                }
            });
            proxy.refuseConnections(false);
            try (RespClient accepted = new RespClient("127.0.0.1", proxy.port())) {
                assertEquals("PONG", accepted.call("PING"));
            }
            assertTrue(proxy.openConnections() >= 1);
        }
    }
}
