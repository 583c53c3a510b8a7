package io.github.jcacheredis.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.client.protocol.RedisStrictCommand;
import org.redisson.client.protocol.decoder.ListScanResult;
import org.redisson.command.CommandAsyncExecutor;
import org.redisson.connection.MasterSlaveEntry;

/**
 * Reads sent to one master of the client's topology by name rather than routed by key: a SCAN
 * step, the keys one master holds in a slot, and, on a cluster, every master's own account of
 * its slots. The client's public API scans the masters for us but hides the cursor, the master
 * and the moment of each read, which a scan that must follow moving slots needs.
 */
final class MasterReads {

    private static final RedisStrictCommand<String> CLUSTER_NODES = new RedisStrictCommand<>("CLUSTER", "NODES");

    /** A SCAN step: the keys it found and the cursor to go on from ("0": the master is done). */
    record ScanStep(List<String> keys, String cursor) {
    }

    private final RedissonClient redis;
    private final CommandAsyncExecutor executor;

    MasterReads(RedissonClient redis) {
        if (!(redis instanceof Redisson redisson)) {
            throw new IllegalArgumentException("a scan needs a Redisson client, not a " + redis.getClass().getName());
        }
        this.redis = redis;
        this.executor = redisson.getCommandExecutor();
    }

    /** The masters now: one on one server, with Sentinel or master/replica; one per master on a cluster. */
    List<MasterSlaveEntry> masters() {
        return List.copyOf(executor.getConnectionManager().getEntrySet());
    }

    /** True on a Redis Cluster, where slots can move between masters. */
    boolean clustered() {
        return RedisTopology.config(redis).isClusterConfig();
    }

    /** One SCAN call on {@code master}, from {@code cursor}. */
    ScanStep scan(MasterSlaveEntry master, String cursor, String pattern, int count) {
        ListScanResult<String> reply = Replies.get(executor.<ListScanResult<String>, ListScanResult<String>>readAsync(
                master.getClient(), master, StringCodec.INSTANCE, RedisCommands.SCAN, cursor, "MATCH", pattern,
                "COUNT", count), redis);
        List<String> keys = new ArrayList<>(reply.getValues().size());
        reply.getValues().forEach(key -> keys.add(String.valueOf(key)));
        return new ScanStep(keys, reply.getPos());
    }

    /** Every key {@code master} holds in {@code slot}, whoever serves the slot. */
    List<String> keysInSlot(MasterSlaveEntry master, int slot) {
        return Replies.get(executor.<List<String>, List<String>>readAsync(master.getClient(), master,
                StringCodec.INSTANCE, RedisCommands.CLUSTER_GETKEYSINSLOT, slot, Integer.MAX_VALUE), redis);
    }

    /** Each master's own account of its slots, read from all of them at once. */
    SlotStates slotStates(List<MasterSlaveEntry> masters) {
        List<CompletableFuture<String>> replies = new ArrayList<>(masters.size());
        for (MasterSlaveEntry master : masters) {
            replies.add(executor.<String, String>readAsync(master.getClient(), master, StringCodec.INSTANCE,
                    CLUSTER_NODES).toCompletableFuture());
        }
        List<SlotStates.Master> states = new ArrayList<>(masters.size());
        for (CompletableFuture<String> reply : replies) {
            states.add(SlotStates.Master.parse(Replies.get(reply, redis)));
        }
        return SlotStates.of(states);
    }
}
