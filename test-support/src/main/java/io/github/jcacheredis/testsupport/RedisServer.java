package io.github.jcacheredis.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} on a free loopback port, for one test class or JVM. It keeps no
 * data on disk, accepts {@code DEBUG} (so tests can stall it), and can be stalled, paused, stopped,
 * killed and restarted on the same port, or given a replica, for fault tests.
 */
public final class RedisServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private final TlsCertificates tls;
    private volatile Process process;

    private RedisServer(int port, List<String> extraArgs, TlsCertificates tls) {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.tls = tls;
        try {
            this.dir = Files.createTempDirectory("test-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on a free port with the given extra {@code redis-server} arguments. */
    public static RedisServer start(String... extraArgs) {
        return start(List.of(extraArgs));
    }

    public static RedisServer start(List<String> extraArgs) {
        RedisServer server = new RedisServer(FreePorts.next(), extraArgs, null);
        server.launch();
        return server;
    }

    /** Starts a server that speaks TLS only, with {@code certificates}, and the extra arguments. */
    public static RedisServer startTls(TlsCertificates certificates, String... extraArgs) {
        int port = FreePorts.next();
        List<String> args = new ArrayList<>(certificates.serverArguments(port));
        args.addAll(List.of(extraArgs));
        RedisServer server = new RedisServer(port, args, certificates);
        server.launch();
        return server;
    }

    /**
     * Starts a replica of {@code master} ({@code --replicaof}) and returns once it holds everything
     * {@code master} held. A restart of the replica keeps it a replica of the same master.
     */
    public static RedisServer startReplicaOf(RedisServer master, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--replicaof", master.host(), String.valueOf(master.port())));
        args.addAll(List.of(extraArgs));
        RedisServer replica = start(args);
        replica.awaitInSync(READY_TIMEOUT);
        return replica;
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** The {@code redis://} (or, for TLS, {@code rediss://}) address of this server. */
    public String uri() {
        return (tls == null ? "redis://" : "rediss://") + HOST + ":" + port;
    }

    /** The working directory (logs, cluster node file). */
    public Path dir() {
        return dir;
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** A new connection (TLS for a TLS server); closing it is the caller's job. */
    public RespClient client() {
        return tls == null ? new RespClient(HOST, port) : new RespClient(HOST, port, tls.clientContext());
    }

    /** Runs one command on a short-lived connection. */
    public Object call(Object... args) {
        try (RespClient client = client()) {
            return client.call(args);
        }
    }

    /** {@code INFO <section>} as field to value, for example {@code info("replication").get("role")}. */
    public Map<String, String> info(String section) {
        return Replication.info(this, section);
    }

    /**
     * How many times the server has run each of {@code commands} (lower case, as
     * {@code INFO commandstats} names them), summed; 0 for one it never ran.
     */
    public long commandCalls(String... commands) {
        Map<String, String> stats = info("commandstats");
        long total = 0;
        for (String command : commands) {
            String line = stats.get("cmdstat_" + command);
            if (line != null) {
                total += Long.parseLong(line.substring("calls=".length(), line.indexOf(',')));
            }
        }
        return total;
    }

    /** {@code master} or {@code slave}, the first field of {@code ROLE}. */
    public String role() {
        return ((List<?>) call("ROLE")).get(0).toString();
    }

    /**
     * For a replica: waits until its link to its master is up and it holds everything the master
     * held when the call began.
     */
    public void awaitInSync(Duration timeout) {
        Replication.awaitInSync(this, timeout);
    }

    /**
     * Makes the server answer nobody for {@code duration} ({@code DEBUG SLEEP} on a connection of
     * its own) and returns as soon as the stall has begun, without waiting for its end. Connections
     * stay open. Close the returned {@link Stall} (or {@link Stall#awaitEnd()}) to wait for the end.
     */
    public Stall stall(Duration duration) {
        return Stall.start(this, duration);
    }

    /**
     * {@code CLIENT PAUSE}: for {@code duration}, the server holds the commands of every client
     * (ALL) or only those that may write (WRITE), and answers them when the pause ends. Returns at once.
     */
    public void pauseClients(Duration duration, PauseMode mode) {
        call("CLIENT", "PAUSE", duration.toMillis(), mode.name());
    }

    /** Ends a {@link #pauseClients} pause early. */
    public void unpauseClients() {
        call("CLIENT", "UNPAUSE");
    }

    /** {@code CLIENT KILL TYPE <type>}: closes every such connection but the harness's own; returns how many. */
    public long killClients(ClientType type) {
        return (Long) call("CLIENT", "KILL", "TYPE", type.name().toLowerCase(Locale.ROOT));
    }

    /** Kills the process at once (SIGKILL), as a crash or network cut would look to clients. */
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitForExit(p);
        }
    }

    /**
     * Shuts the server down ({@code SHUTDOWN NOSAVE}, SIGKILL after 5 s): clients see their
     * connections closed. Does nothing when it is not running.
     */
    public void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            call("SHUTDOWN", "NOSAVE");
        } catch (RuntimeException expected) {
            // the server closes the connection while shutting down
        }
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                waitForExit(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /**
     * Starts the server again on the same port with the same arguments, empty (a cluster node keeps
     * its node id and slots, a replica its master). Stops it first when it is running.
     */
    public void restart() {
        stop();
        launch();
    }

    /** Stops the server and deletes its working directory (logs, node file). */
    @Override
    public void close() {
        stop();
        TempDirs.delete(dir);
    }

    private void launch() {
        List<String> cmd = new ArrayList<>();
        cmd.add(RedisBinary.redisServer().toString());
        if (tls == null) {
            Collections.addAll(cmd, "--port", String.valueOf(port));
        }
        Collections.addAll(cmd, "--bind", HOST, "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString(),
                "--protected-mode", "no",
                // a replica gets its first sync at once, not after the 5 s wait for other replicas
                "--repl-diskless-sync-delay", "0");
        if (RedisBinary.needsDebugSwitch()) {
            Collections.addAll(cmd, "--enable-debug-command", "yes");
        }
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        Process started = process;
        Await.until(this + " answers", READY_TIMEOUT, () -> !started.isAlive() || portAnswers(), this::readLog);
        if (!started.isAlive()) {
            throw new IllegalStateException("redis-server exited at start: " + readLog());
        }
    }

    private boolean portAnswers() {
        try (RespClient client = client()) {
            // PONG, not just any reply: a connection that met itself reads its own PING back
            return "PONG".equals(client.call("PING"));
        } catch (RespClient.RedisReplyException answeredButRefused) {
            return true; // NOAUTH and the like: it is up, with ACLs
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("redis.log")) + Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void waitForExit(Process p) {
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "redis-server " + uri();
    }

    /** What {@link #pauseClients} holds: every command, or only those that may write. */
    public enum PauseMode {
        ALL, WRITE
    }

    /** Connections {@link #killClients} closes: plain, subscribed, replicas' links, or (on a replica) its link to the master. */
    public enum ClientType {
        NORMAL, PUBSUB, REPLICA, MASTER
    }
}
