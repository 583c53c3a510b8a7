package io.github.jcacheredis.testsupport;

import java.util.List;

/** How {@link RedisCluster#reshard} moves slots from one master to another. */
public enum Resharding {

    /** {@code redis-cli --cluster reshard ... --cluster-yes}, as an operator would. */
    REDIS_CLI {
        @Override
        void move(RedisCluster cluster, RedisServer from, RedisServer to, List<Integer> slots) {
            RedisCliReshard.move(cluster, from, to, slots.size());
        }
    },

    /**
     * Slot by slot: {@code CLUSTER SETSLOT} IMPORTING on the target and MIGRATING on the source,
     * {@code MIGRATE} of the slot's keys in batches, then {@code CLUSTER SETSLOT NODE}. Clients meet
     * ASK while a slot moves and MOVED after. Needs no {@code redis-cli}.
     */
    CLUSTER_COMMANDS {
        @Override
        void move(RedisCluster cluster, RedisServer from, RedisServer to, List<Integer> slots) {
            SlotMigration.move(cluster, from, to, slots);
        }
    };

    /** {@link #REDIS_CLI} when a {@code redis-cli} comes with the server binary, else {@link #CLUSTER_COMMANDS}. */
    public static Resharding available() {
        return RedisBinary.redisCli().isPresent() ? REDIS_CLI : CLUSTER_COMMANDS;
    }

    /** Moves {@code slots}, the lowest ones {@code from} serves, to {@code to}. */
    abstract void move(RedisCluster cluster, RedisServer from, RedisServer to, List<Integer> slots);
}
