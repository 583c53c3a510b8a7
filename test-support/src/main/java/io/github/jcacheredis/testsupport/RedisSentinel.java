package io.github.jcacheredis.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Redis Sentinel ({@code redis-server <config> --sentinel}) on a free loopback port,
 * monitoring one master the harness started, so that tests can fail it over for real. It is the
 * only sentinel (quorum 1); {@link #failover()} promotes a replica without waiting for the master
 * to be found down.
 */
public final class RedisSentinel implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final int port = FreePorts.next();
    private final String masterName;
    private final Path dir;
    private final Process process;

    private RedisSentinel(RedisServer master, String masterName) {
        this.masterName = masterName;
        try {
            this.dir = Files.createTempDirectory("test-sentinel-" + port + "-");
            Path config = dir.resolve("sentinel.conf");
            // sentinel rewrites its config file as it learns the replicas and the failovers
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind " + HOST,
                    "protected-mode no",
                    "dir " + dir,
                    "logfile " + dir.resolve("sentinel.log"),
                    "sentinel monitor " + masterName + " " + master.host() + " " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + masterName + " 2000",
                    "sentinel failover-timeout " + masterName + " 10000",
                    ""));
            process = new ProcessBuilder(List.of(RedisBinary.redisServer().toString(), config.toString(), "--sentinel"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a sentinel", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        try {
            Await.until(this + " answers", READY_TIMEOUT, () -> process.isAlive() && "PONG".equals(call("PING")),
                    this::readLog);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts a sentinel that monitors {@code master} under {@code masterName}, and returns once it answers. */
    public static RedisSentinel monitoring(RedisServer master, String masterName) {
        return new RedisSentinel(master, masterName);
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    public String masterName() {
        return masterName;
    }

    /** Runs one command on a short-lived connection. */
    public Object call(Object... args) {
        try (RespClient client = new RespClient(HOST, port)) {
            return client.call(args);
        }
    }

    /** The port of the master the sentinel names now. */
    public int masterPort() {
        List<?> address = (List<?>) call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
        return Integer.parseInt(address.get(1).toString());
    }

    /** Waits until the sentinel knows {@code count} replicas of the master (it finds them through INFO). */
    public void awaitReplicas(int count) {
        Await.until("the sentinel knows " + count + " replicas", READY_TIMEOUT,
                () -> ((List<?>) call("SENTINEL", "REPLICAS", masterName)).size() >= count, this::readLog);
    }

    /**
     * {@code SENTINEL FAILOVER}: promotes a replica now; returns once the sentinel has begun. It is
     * asked again while it answers that no replica is good yet (it has not checked the replica itself).
     */
    public void failover() {
        Await.until(this + " begins a failover", READY_TIMEOUT, () -> {
            call("SENTINEL", "FAILOVER", masterName); // -NOGOODSLAVE throws: not yet
            return true;
        }, this::readLog);
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("sentinel.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TempDirs.delete(dir);
    }

    @Override
    public String toString() {
        return "redis-sentinel " + uri();
    }
}
