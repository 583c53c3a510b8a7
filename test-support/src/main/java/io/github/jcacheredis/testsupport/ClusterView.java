package io.github.jcacheredis.testsupport;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One node's {@code CLUSTER NODES} answer: who it thinks is master of what. */
final class ClusterView {

    static final int SLOTS = 16_384;

    /** A line of {@code CLUSTER NODES}. */
    record Node(String id, int port, Set<String> flags, String masterId, boolean connected, BitSet slots,
                boolean openSlots) {

        boolean isMaster() {
            return flags.contains("master");
        }

        boolean isHealthy() {
            return connected && !flags.contains("fail") && !flags.contains("fail?") && !flags.contains("handshake")
                    && !flags.contains("noaddr");
        }

        /** Role, master and slots, without the flags that differ between observers ({@code myself}). */
        String agreedPart() {
            return id + " " + (isMaster() ? "master" : "replica of " + masterId) + " " + slots;
        }
    }

    private final List<Node> nodes;

    private ClusterView(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    static ClusterView of(RedisServer observer) {
        return parse(observer.call("CLUSTER", "NODES").toString());
    }

    static ClusterView parse(String clusterNodes) {
        List<Node> nodes = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(parseLine(line.trim()));
            }
        }
        return new ClusterView(nodes);
    }

    private static Node parseLine(String line) {
        String[] fields = line.split(" ");
        String address = fields[1];
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':', address.indexOf('@')) + 1, address.indexOf('@')));
        BitSet slots = new BitSet(SLOTS);
        boolean open = false;
        for (int i = 8; i < fields.length; i++) {
            String range = fields[i];
            if (range.startsWith("[")) {
                open = true; // [slot->-id] migrating or [slot-<-id] importing
                continue;
            }
            int dash = range.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
            slots.set(first, last + 1);
        }
        return new Node(fields[0], port, Set.of(fields[2].split(",")), fields[3], "connected".equals(fields[7]), slots, open);
    }

    List<Node> nodes() {
        return nodes;
    }

    /** Masters, ordered by their lowest slot (masters without slots last). */
    List<Node> masters() {
        return nodes.stream().filter(Node::isMaster)
                .sorted(Comparator.comparingInt(n -> n.slots().isEmpty() ? SLOTS : n.slots().nextSetBit(0)))
                .toList();
    }

    List<Node> replicasOf(String masterId) {
        return nodes.stream().filter(n -> !n.isMaster() && n.masterId().equals(masterId)).toList();
    }

    Optional<Node> byPort(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst();
    }

    Node ownerOf(int slot) {
        return nodes.stream().filter(n -> n.isMaster() && n.slots().get(slot)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no master serves slot " + slot + ": " + nodes));
    }

    boolean anyOpenSlots() {
        return nodes.stream().anyMatch(Node::openSlots);
    }

    /** What every node of a settled cluster reports alike. */
    Set<String> agreedState() {
        Set<String> state = new TreeSet<>();
        nodes.forEach(n -> state.add(n.agreedPart()));
        return state;
    }

    @Override
    public String toString() {
        return String.join("; ", agreedState());
    }
}
