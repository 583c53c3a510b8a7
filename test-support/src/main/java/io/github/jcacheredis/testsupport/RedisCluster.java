package io.github.jcacheredis.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A local Redis Cluster of throwaway masters (no replicas), with the 16384 slots split evenly.
 * Built with plain CLUSTER commands so that it needs no {@code redis-cli}.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int SLOTS = 16_384;

    private final List<RedisServer> masters;

    private RedisCluster(List<RedisServer> masters) {
        this.masters = List.copyOf(masters);
    }

    /** Starts {@code size} masters and joins them into one cluster. */
    public static RedisCluster start(int size) {
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                nodes.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.assignSlots();
            cluster.meet();
            cluster.awaitHealthy(Duration.ofSeconds(30));
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    public List<RedisServer> masters() {
        return masters;
    }

    /** Seed addresses as {@code redis://host:port}, one per master. */
    public List<String> nodeUris() {
        return masters.stream().map(RedisServer::uri).toList();
    }

    /**
     * A Redisson YAML config for this cluster, with an optional {@code jcache:} block of provider
     * settings (for example {@code "namespace: tck"}).
     */
    public String redissonYaml(String... providerSettings) {
        StringBuilder yaml = new StringBuilder("clusterServersConfig:\n  nodeAddresses:\n");
        for (String uri : nodeUris()) {
            yaml.append("    - \"").append(uri).append("\"\n");
        }
        yaml.append("  scanInterval: 1000\n");
        if (providerSettings.length > 0) {
            yaml.append("jcache:\n");
            for (String setting : providerSettings) {
                yaml.append("  ").append(setting).append("\n");
            }
        }
        return yaml.toString();
    }

    /** Writes {@link #redissonYaml} to a temporary file and returns its {@code file:} URI. */
    public java.net.URI writeRedissonConfig(String... providerSettings) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile(masters.get(0).dir(), "redisson-cluster", ".yaml");
            java.nio.file.Files.writeString(file, redissonYaml(providerSettings));
            return file.toUri();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assignSlots() {
        int per = SLOTS / masters.size();
        for (int i = 0; i < masters.size(); i++) {
            int from = i * per;
            int to = i == masters.size() - 1 ? SLOTS - 1 : from + per - 1;
            Object[] args = new Object[2 + (to - from + 1)];
            args[0] = "CLUSTER";
            args[1] = "ADDSLOTS";
            for (int slot = from; slot <= to; slot++) {
                args[2 + slot - from] = slot;
            }
            masters.get(i).call(args);
        }
    }

    private void meet() {
        RedisServer first = masters.get(0);
        for (RedisServer other : masters.subList(1, masters.size())) {
            first.call("CLUSTER", "MEET", other.host(), other.port());
        }
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (masters.stream().allMatch(this::isHealthy)) {
                return;
            }
            RedisServer.sleepQuietly(100);
        }
        throw new IllegalStateException("cluster did not reach cluster_state:ok in " + timeout);
    }

    private boolean isHealthy(RedisServer node) {
        String info = node.call("CLUSTER", "INFO").toString();
        String nodes = node.call("CLUSTER", "NODES").toString();
        long known = nodes.lines().filter(l -> l.contains("master") && !l.contains("fail")).count();
        return info.contains("cluster_state:ok") && known == masters.size();
    }

    /** The master that serves {@code slot}. */
    public RedisServer masterForSlot(int slot) {
        int per = SLOTS / masters.size();
        return masters.get(Math.min(slot / per, masters.size() - 1));
    }

    @Override
    public void close() {
        masters.forEach(RedisServer::close);
    }
}
