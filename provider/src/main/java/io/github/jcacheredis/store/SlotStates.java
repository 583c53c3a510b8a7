package io.github.jcacheredis.store;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each master of a Redis Cluster says of itself, at one moment: the slots it serves and the
 * slots it is moving (the {@code myself} line of its {@code CLUSTER NODES}: {@code [slot->-id]}
 * migrating to node {@code id}, {@code [slot-<-id]} importing from it). A slot's keys move only
 * while its source says it is migrating, and a move ends with the source no longer serving the
 * slot, so a slot whose state is the same in two readings and open in neither kept its keys on
 * one master in between; and a slot open in both, unchanged, had its keys move from the source to
 * the target only.
 */
final class SlotStates {

    /** One master's own line: its node id, the slots it serves, and its open slots. */
    record Master(String nodeId, BitSet served, Map<Integer, String> migratingTo, Map<Integer, String> importingFrom) {

        /**
         * The {@code myself} line of a {@code CLUSTER NODES} reply; IllegalArgumentException when
         * there is none.
         */
        static Master parse(String clusterNodes) {
            for (String line : clusterNodes.split("\n")) {
                String[] fields = line.trim().split(" ");
                if (fields.length >= 8 && List.of(fields[2].split(",")).contains("myself")) {
                    return parseFields(fields);
                }
            }
            throw new IllegalArgumentException("no line of CLUSTER NODES is the node's own: " + clusterNodes);
        }

        private static Master parseFields(String[] fields) {
            BitSet served = new BitSet(ClusterSlots.SLOTS);
            Map<Integer, String> migrating = new HashMap<>();
            Map<Integer, String> importing = new HashMap<>();
            for (int i = 8; i < fields.length; i++) {
                String range = fields[i];
                if (range.startsWith("[")) {
                    int out = range.indexOf("->-");
                    int in = range.indexOf("-<-");
                    if (out > 0) {
                        migrating.put(Integer.parseInt(range.substring(1, out)), range.substring(out + 3, range.length() - 1));
                    } else if (in > 0) {
                        importing.put(Integer.parseInt(range.substring(1, in)), range.substring(in + 3, range.length() - 1));
                    }
                    continue;
                }
                int dash = range.indexOf('-');
                int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
                served.set(first, last + 1);
            }
            return new Master(fields[0], served, Map.copyOf(migrating), Map.copyOf(importing));
        }

        /** 0 when this master moves {@code slot} away, 2 when it receives it, 1 otherwise. */
        private int rank(int slot) {
            return migratingTo.containsKey(slot) ? 0 : importingFrom.containsKey(slot) ? 2 : 1;
        }
    }

    private final Map<String, Master> byId;

    private SlotStates(Map<String, Master> byId) {
        this.byId = byId;
    }

    /** The readings of every master, in the order given. */
    static SlotStates of(List<Master> masters) {
        Map<String, Master> byId = new LinkedHashMap<>();
        masters.forEach(master -> byId.put(master.nodeId(), master));
        return new SlotStates(byId);
    }

    /** The node ids of the masters, in the order given. */
    List<String> nodeIds() {
        return List.copyOf(byId.keySet());
    }

    /** Slots that some master is moving. */
    BitSet open() {
        BitSet open = new BitSet(ClusterSlots.SLOTS);
        for (Master master : byId.values()) {
            master.migratingTo().keySet().forEach(open::set);
            master.importingFrom().keySet().forEach(open::set);
        }
        return open;
    }

    /**
     * The slots whose state differs from {@code earlier}'s: served by other masters, or opened,
     * closed or redirected; null when the masters themselves differ (a new master, a failover).
     */
    BitSet changedSince(SlotStates earlier) {
        if (!byId.keySet().equals(earlier.byId.keySet())) {
            return null;
        }
        BitSet changed = new BitSet(ClusterSlots.SLOTS);
        for (Master now : byId.values()) {
            Master before = earlier.byId.get(now.nodeId());
            BitSet served = (BitSet) now.served().clone();
            served.xor(before.served());
            changed.or(served);
            markDifferences(now.migratingTo(), before.migratingTo(), changed);
            markDifferences(now.importingFrom(), before.importingFrom(), changed);
        }
        return changed;
    }

    private static void markDifferences(Map<Integer, String> now, Map<Integer, String> before, BitSet changed) {
        now.forEach((slot, node) -> {
            if (!node.equals(before.get(slot))) {
                changed.set(slot);
            }
        });
        before.forEach((slot, node) -> {
            if (!node.equals(now.get(slot))) {
                changed.set(slot);
            }
        });
    }

    /**
     * The masters to read {@code slot}'s keys from, so that a key its move carries meanwhile is
     * read on one of them: the source first, then the masters not moving it, the target last.
     */
    List<String> readOrder(int slot) {
        List<Master> masters = new ArrayList<>(byId.values());
        masters.sort(Comparator.comparingInt(master -> master.rank(slot)));
        return masters.stream().map(Master::nodeId).toList();
    }

    @Override
    public String toString() {
        return byId.values().toString();
    }
}
