package io.github.jcacheredis.testsupport;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A local Redis Cluster of throwaway nodes: masters with the 16384 slots split evenly, each with
 * the same number of replicas. Built with plain CLUSTER commands so that it needs no
 * {@code redis-cli}. Roles and slots are read from the cluster each time they are asked for, so
 * they stay right after {@link #failover} and {@link #reshard}.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, RedisServer> nodesById;
    private final int masterCount;
    private final int replicasPerMaster;

    private RedisCluster(Map<String, RedisServer> nodesById, int masterCount, int replicasPerMaster) {
        this.nodesById = new LinkedHashMap<>(nodesById);
        this.masterCount = masterCount;
        this.replicasPerMaster = replicasPerMaster;
    }

    /** Starts {@code masters} masters, no replicas, and joins them into one cluster. */
    public static RedisCluster start(int masters) {
        return start(masters, 0);
    }

    /**
     * Starts {@code masters} masters with {@code replicasPerMaster} replicas each, and returns once
     * the cluster is ok, every node agrees on the roles and slots, and every replica is in sync.
     */
    public static RedisCluster start(int masters, int replicasPerMaster) {
        List<RedisServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                servers.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
            }
            Map<String, RedisServer> byId = new LinkedHashMap<>();
            servers.forEach(server -> byId.put(server.call("CLUSTER", "MYID").toString(), server));
            RedisCluster cluster = new RedisCluster(byId, masters, replicasPerMaster);
            cluster.form(servers.subList(0, masters), servers.subList(masters, servers.size()));
            return cluster;
        } catch (RuntimeException e) {
            servers.forEach(RedisServer::close);
            throw e;
        }
    }

    private void form(List<RedisServer> masters, List<RedisServer> replicas) {
        int per = ClusterView.SLOTS / masters.size();
        for (int i = 0; i < masters.size(); i++) {
            int from = i * per;
            int to = i == masters.size() - 1 ? ClusterView.SLOTS - 1 : from + per - 1;
            Object[] args = new Object[2 + (to - from + 1)];
            args[0] = "CLUSTER";
            args[1] = "ADDSLOTS";
            for (int slot = from; slot <= to; slot++) {
                args[2 + slot - from] = slot;
            }
            masters.get(i).call(args);
        }
        RedisServer first = masters.get(0);
        nodes().stream().skip(1).forEach(other -> first.call("CLUSTER", "MEET", other.host(), other.port()));
        Await.until("every node knows all " + nodesById.size() + " nodes", SETTLE_TIMEOUT,
                () -> nodes().stream().allMatch(n -> ClusterView.of(n).nodes().size() == nodesById.size()));
        for (int i = 0; i < replicas.size(); i++) {
            RedisServer replica = replicas.get(i);
            String masterId = nodeId(masters.get(i % masters.size()));
            // refused until the replica has learnt from gossip that the node is a master
            Await.until(replica + " replicates " + masterId, SETTLE_TIMEOUT,
                    () -> "OK".equals(replica.call("CLUSTER", "REPLICATE", masterId)));
        }
        awaitHealthy(SETTLE_TIMEOUT);
    }

    /** Every node, masters and replicas, in the order they were started. */
    public List<RedisServer> nodes() {
        return List.copyOf(nodesById.values());
    }

    /** The current masters, ordered by their lowest slot. */
    public List<RedisServer> masters() {
        return view().masters().stream().map(this::server).toList();
    }

    /** The current replicas. */
    public List<RedisServer> replicas() {
        return view().nodes().stream().filter(n -> !n.isMaster()).map(this::server).toList();
    }

    /** The current replicas of {@code master}. */
    public List<RedisServer> replicasOf(RedisServer master) {
        return view().replicasOf(nodeId(master)).stream().map(this::server).toList();
    }

    /** The master that serves {@code slot} now. */
    public RedisServer masterForSlot(int slot) {
        return server(view().ownerOf(slot));
    }

    /** The slot of {@code key}, computed here as the server would ({@code CLUSTER KEYSLOT}). */
    public static int slotOf(String key) {
        return KeySlot.of(key);
    }

    /** The slots {@code master} serves now, ascending. */
    public List<Integer> slotsOf(RedisServer master) {
        return view().byPort(master.port()).orElseThrow().slots().stream().boxed().toList();
    }

    /** The node id of {@code node}; it survives restarts. */
    public String nodeId(RedisServer node) {
        return nodesById.entrySet().stream().filter(e -> e.getValue() == node).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(node + " is not a node of this cluster"));
    }

    /** Seed addresses as {@code redis://host:port}, one per node. */
    public List<String> nodeUris() {
        return nodes().stream().map(RedisServer::uri).toList();
    }

    /** A Redisson {@code clusterServersConfig} for this cluster, to add settings to and write. */
    public RedissonYaml redisson() {
        return RedissonYaml.cluster(nodeUris());
    }

    /**
     * A Redisson YAML config for this cluster, with an optional {@code jcache:} block of provider
     * settings (for example {@code "namespace: tck"}).
     */
    public String redissonYaml(String... providerSettings) {
        return redisson().providerLines(providerSettings).text();
    }

    /** Writes {@link #redissonYaml} to a temporary file and returns its {@code file:} URI. */
    public URI writeRedissonConfig(String... providerSettings) {
        return redisson().providerLines(providerSettings).write();
    }

    /**
     * Runs {@code CLUSTER FAILOVER} on a replica of {@code master} (a coordinated failover: the
     * replica catches up, then takes over) and returns once roles have swapped, every node agrees,
     * and the old master is an in-sync replica of the new one. The result says which replica took
     * over and when the roles swapped.
     */
    public Failover failover(RedisServer master) {
        List<RedisServer> candidates = replicasOf(master);
        if (candidates.isEmpty()) {
            throw new IllegalStateException(master + " has no replica to fail over to");
        }
        RedisServer replica = candidates.get(0);
        long requested = System.nanoTime();
        replica.call("CLUSTER", "FAILOVER");
        Await.until(replica + " took over from " + master, SETTLE_TIMEOUT,
                () -> "master".equals(replica.role()) && "slave".equals(master.role()));
        long swapped = System.nanoTime();
        awaitHealthy(SETTLE_TIMEOUT);
        return new Failover(replica, master, requested, swapped);
    }

    /**
     * Moves the {@code count} lowest slots of {@code from}, with their keys, to {@code to}, with
     * {@code redis-cli --cluster reshard} when there is one, else with CLUSTER SETSLOT and MIGRATE.
     * Returns the slots moved, once every node agrees that {@code to} serves them.
     */
    public List<Integer> reshard(RedisServer from, RedisServer to, int count) {
        return reshard(from, to, count, Resharding.available());
    }

    /** As {@link #reshard(RedisServer, RedisServer, int)}, the way {@code method} does it. */
    public List<Integer> reshard(RedisServer from, RedisServer to, int count, Resharding method) {
        List<Integer> slots = slotsOf(from);
        if (slots.size() < count) {
            throw new IllegalArgumentException(from + " serves " + slots.size() + " slots, fewer than " + count);
        }
        List<Integer> moving = slots.subList(0, count);
        method.move(this, from, to, moving);
        String toId = nodeId(to);
        Await.until("every node sees " + to + " serving the " + count + " slots from " + from, SETTLE_TIMEOUT,
                () -> nodes().stream().map(ClusterView::of)
                        .allMatch(view -> moving.stream().allMatch(s -> view.ownerOf(s).id().equals(toId))));
        awaitHealthy(SETTLE_TIMEOUT);
        return List.copyOf(moving);
    }

    /**
     * Waits until every node reports {@code cluster_state:ok}, knows every node as healthy, sees the
     * expected number of masters each with its replicas, has no slot half-migrated, and agrees with
     * the others on roles and slots; then until every replica is in sync with its master.
     */
    public void awaitHealthy(Duration timeout) {
        Await.until("the cluster is ok and settled (" + masterCount + " masters, " + replicasPerMaster
                + " replicas each)", timeout, this::isSettled, () -> view().toString());
        replicas().forEach(replica -> replica.awaitInSync(timeout));
    }

    private boolean isSettled() {
        Set<String> agreed = null;
        for (RedisServer node : nodes()) {
            if (!node.call("CLUSTER", "INFO").toString().contains("cluster_state:ok")) {
                return false;
            }
            ClusterView view = ClusterView.of(node);
            boolean complete = view.nodes().size() == nodesById.size()
                    && view.nodes().stream().allMatch(ClusterView.Node::isHealthy)
                    && !view.anyOpenSlots()
                    && view.masters().size() == masterCount
                    && view.masters().stream().allMatch(m -> view.replicasOf(m.id()).size() == replicasPerMaster);
            if (!complete || (agreed != null && !agreed.equals(view.agreedState()))) {
                return false;
            }
            agreed = view.agreedState();
        }
        return true;
    }

    private ClusterView view() {
        return ClusterView.of(anyRunningNode());
    }

    private RedisServer anyRunningNode() {
        return nodes().stream().filter(RedisServer::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster is running"));
    }

    private RedisServer server(ClusterView.Node node) {
        RedisServer server = nodesById.get(node.id());
        if (server == null) {
            throw new IllegalStateException("node " + node.id() + " on port " + node.port() + " is not one of ours");
        }
        return server;
    }

    @Override
    public void close() {
        nodes().forEach(RedisServer::close);
    }
}
