package io.github.jcacheredis.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} on a free loopback port, for one test class or JVM. It keeps no
 * data on disk, and can be stopped, killed and restarted on the same port for fault tests.
 */
public final class RedisServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

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

    /** Kills the process at once (SIGKILL), as a crash or network cut would look to clients. */
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitForExit(p);
        }
    }

    /** Starts the server again on the same port, empty. */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        launch();
    }

    @Override
    public void close() {
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
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private void launch() {
        List<String> cmd = new ArrayList<>();
        cmd.add(RedisBinary.redisServer().toString());
        if (tls == null) {
            Collections.addAll(cmd, "--port", String.valueOf(port));
        }
        Collections.addAll(cmd, "--bind", HOST, "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString(),
                "--protected-mode", "no");
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        awaitReady(Duration.ofSeconds(15));
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start: " + readLog());
            }
            if (portAnswers()) {
                return;
            }
            sleepQuietly(20);
        }
        throw new IllegalStateException("redis-server on port " + port + " not ready in " + timeout + ": " + readLog());
    }

    private boolean portAnswers() {
        try (RespClient client = client()) {
            client.call("PING");
            return true;
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

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "redis-server " + uri();
    }
}
