package io.github.jcacheredis.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves slots with cluster commands, as {@code redis-cli} does: for each slot, IMPORTING on the
 * target, MIGRATING on the source, MIGRATE of its keys in batches, then the new owner on the target,
 * the source and the other masters.
 */
final class SlotMigration {

    private static final int KEYS_PER_MIGRATE = 100;
    private static final int MIGRATE_TIMEOUT_MILLIS = 5_000;

    private SlotMigration() {
    }

    static void move(RedisCluster cluster, RedisServer from, RedisServer to, List<Integer> slots) {
        String fromId = cluster.nodeId(from);
        String toId = cluster.nodeId(to);
        List<RedisServer> others = cluster.masters().stream().filter(m -> m != from && m != to).toList();
        try (RespClient source = from.client(); RespClient target = to.client()) {
            for (int slot : slots) {
                target.call("CLUSTER", "SETSLOT", slot, "IMPORTING", fromId);
                source.call("CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
                migrateKeys(source, to, slot);
                target.call("CLUSTER", "SETSLOT", slot, "NODE", toId);
                source.call("CLUSTER", "SETSLOT", slot, "NODE", toId);
                // the other masters would learn it by gossip; telling them spares clients a redirect
                others.forEach(other -> other.call("CLUSTER", "SETSLOT", slot, "NODE", toId));
            }
        }
    }

    private static void migrateKeys(RespClient source, RedisServer to, int slot) {
        List<?> keys;
        while (!(keys = (List<?>) source.call("CLUSTER", "GETKEYSINSLOT", slot, KEYS_PER_MIGRATE)).isEmpty()) {
            List<Object> migrate = new ArrayList<>(List.of("MIGRATE", to.host(), to.port(), "", 0, MIGRATE_TIMEOUT_MILLIS, "KEYS"));
            migrate.addAll(keys);
            source.call(migrate.toArray());
        }
    }
}
