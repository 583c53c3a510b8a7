package io.github.jcacheredis.testsupport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server stalled by {@code DEBUG SLEEP}: for the given time it answers nobody, on any connection,
 * while every connection stays open, so clients see late replies rather than a refused or reset
 * connection (a GC pause or an overloaded server, as opposed to a crash). Closing waits for the
 * stall to end; a DEBUG SLEEP cannot be cut short.
 */
public final class Stall implements AutoCloseable {

    // a PING that takes longer than this is taken as the stall having begun
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);

    private final RedisServer server;
    private final Duration duration;
    private final RespClient connection;
    private final CompletableFuture<Object> reply = new CompletableFuture<>();

    private Stall(RedisServer server, Duration duration) {
        this.server = server;
        this.duration = duration;
        this.connection = server.client().readTimeout(duration.plusSeconds(30));
    }

    /**
     * Sends {@code DEBUG SLEEP} on a connection of its own, from a thread of its own, and returns
     * once the server has stopped answering (or the sleep already ended), without waiting for it to end.
     */
    static Stall start(RedisServer server, Duration duration) {
        Stall stall = new Stall(server, duration);
        Thread sender = new Thread(stall::sleep, "stall " + server.port());
        sender.setDaemon(true);
        sender.start();
        Await.until(server + " stops answering", duration.plusSeconds(10),
                () -> stall.reply.isDone() || !answersQuickly(server));
        if (stall.reply.isCompletedExceptionally()) {
            stall.close();
            stall.awaitEnd(); // rethrows why DEBUG SLEEP was refused
        }
        return stall;
    }

    private void sleep() {
        try {
            reply.complete(connection.call("DEBUG", "SLEEP", String.valueOf(duration.toMillis() / 1000.0)));
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
        }
    }

    private static boolean answersQuickly(RedisServer server) {
        try (RespClient probe = server.client().readTimeout(PROBE_TIMEOUT)) {
            probe.call("PING");
            return true;
        } catch (RuntimeException timedOut) {
            return false;
        }
    }

    /** Whether the DEBUG SLEEP has been answered: once true, the server answers again. */
    public boolean isOver() {
        return reply.isDone();
    }

    /** Waits until the server answers again. */
    public void awaitEnd() {
        try {
            reply.get(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("DEBUG SLEEP failed on " + server + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(server + " did not come back from a stall of " + duration, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + server + " to come back", e);
        }
    }

    /** Waits for the stall to end and closes its connection. */
    @Override
    public void close() {
        try {
            if (!reply.isCompletedExceptionally()) {
                awaitEnd();
            }
        } finally {
            connection.close();
        }
    }
}
