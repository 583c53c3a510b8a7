package io.github.jcacheredis.testsupport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Another client's script that loops until {@code SCRIPT KILL}: once it has run past the server's
 * {@code lua-time-limit} (start the server with a small one, e.g. {@code --lua-time-limit 50}),
 * every other command is refused with BUSY, without running, until {@link #close()} kills it.
 */
public final class BusyScript implements AutoCloseable {

    private final RedisServer server;
    private final CompletableFuture<Object> script;

    private BusyScript(RedisServer server) {
        this.server = server;
        this.script = CompletableFuture.supplyAsync(() -> {
            try (RespClient client = server.client()) {
                return client.call("EVAL", "while true do end", "0");
            } catch (RespClient.RedisReplyException killed) {
                return killed.getMessage();
            }
        });
    }

    /** Starts the script on a connection of its own and returns at once, before the server refuses anything. */
    public static BusyScript begin(RedisServer server) {
        return new BusyScript(server);
    }

    /** Starts the script and returns once a command on another connection is refused. */
    public static BusyScript start(RedisServer server) {
        BusyScript busy = begin(server);
        Await.until("the script keeps " + server + " busy", Duration.ofSeconds(10), busy::refuses);
        return busy;
    }

    /** True when a command on another connection is refused now (each such probe counts in the server's errorstats). */
    public boolean refuses() {
        try {
            server.call("GET", "probe");
            return false;
        } catch (RespClient.RedisReplyException refused) {
            return true;
        }
    }

    /** Kills the script, if it still runs, and waits until it has ended. */
    @Override
    public void close() {
        if (!script.isDone()) {
            server.call("SCRIPT", "KILL");
            script.join();
        }
    }
}
