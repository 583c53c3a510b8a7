package io.github.jcacheredis.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;

/** What a result depends on: cores, CPU, JVM, and the Redis server that answered. */
final class Machine {

    private Machine() {
    }

    static String describe(RedisEndpoint redis) {
        StringBuilder text = new StringBuilder();
        text.append("date: ").append(Instant.now()).append('\n');
        text.append("nproc: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        text.append(command(List.of("lscpu"), 10));
        text.append("java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vm.vendor"))
                .append(")\n");
        text.append("redis: ").append(redisVersion(redis)).append(" at ").append(redis.describe()).append('\n');
        return text.toString();
    }

    /** The first {@code lines} lines a command prints, or nothing when it cannot run. */
    private static String command(List<String> command, int lines) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "";
            }
            StringBuilder head = new StringBuilder();
            output.lines().limit(lines).forEach(line -> head.append(line).append('\n'));
            return head.toString();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String redisVersion(RedisEndpoint redis) {
        RedissonClient client = Redisson.create(redis.redissonConfig());
        try {
            RedisNode node = client.getRedisNodes(RedisNodes.SINGLE).getInstance();
            return "Redis " + node.info(RedisNode.InfoSection.SERVER).get("redis_version");
        } finally {
            client.shutdown();
        }
    }
}
