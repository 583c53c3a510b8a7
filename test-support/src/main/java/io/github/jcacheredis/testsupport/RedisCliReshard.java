package io.github.jcacheredis.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code redis-cli --cluster reshard}, which moves the lowest slots of its single source. */
final class RedisCliReshard {

    private static final long TIMEOUT_SECONDS = 120;

    private RedisCliReshard() {
    }

    static void move(RedisCluster cluster, RedisServer from, RedisServer to, int count) {
        Path cli = RedisBinary.redisCli().orElseThrow(() -> new IllegalStateException(
                "no redis-cli next to " + RedisBinary.redisServer() + "; use Resharding.CLUSTER_COMMANDS"));
        List<String> command = List.of(cli.toString(), "--cluster", "reshard", from.host() + ":" + from.port(),
                "--cluster-from", cluster.nodeId(from), "--cluster-to", cluster.nodeId(to),
                "--cluster-slots", String.valueOf(count), "--cluster-yes");
        try {
            Path log = Files.createTempFile(from.dir(), "reshard-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli reshard did not finish in " + TIMEOUT_SECONDS + " s: "
                        + Files.readString(log));
            }
            String output = Files.readString(log);
            if (process.exitValue() != 0 || output.contains("[ERR]")) {
                throw new IllegalStateException("redis-cli reshard failed (exit " + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resharding", e);
        }
    }
}
