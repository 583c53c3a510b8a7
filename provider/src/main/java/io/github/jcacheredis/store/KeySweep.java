package io.github.jcacheredis.store;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import org.redisson.client.RedisClient;
import org.redisson.connection.MasterSlaveEntry;

/**
 * The keys under a prefix, in batches, for a caller that deletes each batch before it asks for
 * the next: a clear or a removeAll(). Every read is sent once the keys of the reads before it
 * are gone, so no key is handed out twice (neither by SCAN, which may return a key again, nor by
 * a slot move that carries a key to a master read later), and the batches of one read are at most
 * {@code batchSize} keys each.
 *
 * <p>A SCAN visits the masters one after another. On a cluster, a key whose slot moves meanwhile
 * from a master not yet scanned to one already scanned is not seen. So a cluster's masters are
 * asked for their slots before and after the scan ({@link SlotStates}); the slots that moved, or
 * were moving, are then read slot by slot on every master, the move's source first and its
 * target last, and asked for again, until a round finds none of those slots moved meanwhile.
 * A slot that stays open (a stalled move) needs one such round; slots that keep moving are
 * followed for {@code followMillis}, after which the sweep fails naming them.
 */
final class KeySweep implements Iterator<List<String>> {

    /** Keys examined per SCAN call (SCAN's COUNT). */
    private static final int SCAN_COUNT = 500;

    private final MasterReads reads;
    private final String prefix;
    private final String pattern;
    private final int batchSize;
    private final long followMillis;
    private final Deque<List<String>> ready = new ArrayDeque<>();

    private boolean started;
    private boolean done;
    private SlotStates before;
    private long followDeadline;

    // a full scan: the masters, the one being scanned, its client and cursor
    private List<MasterSlaveEntry> masters;
    private int master;
    private RedisClient scanned;
    private String cursor = "0";

    // a round over the slots that moved: the slots, the one being read, and where
    private BitSet pending;
    private int slot = -1;
    private List<MasterSlaveEntry> order = List.of();
    private int reader;
    private Map<String, MasterSlaveEntry> byNode = Map.of();

    KeySweep(MasterReads reads, String prefix, int batchSize, long followMillis) {
        this.reads = reads;
        this.prefix = prefix;
        this.pattern = KeyLayout.escapeGlob(prefix) + '*';
        this.batchSize = batchSize;
        this.followMillis = followMillis;
    }

    /** Reads until there is a batch or nothing is left; may be called again after a failed read. */
    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !done) {
            step();
        }
        return !ready.isEmpty();
    }

    @Override
    public List<String> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    private void step() {
        if (!started) {
            startScan(reads.masters());
            started = true;
        } else if (pending == null) {
            scanStep();
        } else {
            slotStep();
        }
    }

    private void startScan(List<MasterSlaveEntry> now) {
        before = reads.clustered() ? reads.slotStates(now) : null;
        byNode = nodes(now, before);
        masters = now;
        master = 0;
        scanned = null;
        cursor = "0";
        pending = null;
    }

    private void scanStep() {
        if (master == masters.size()) {
            endScan();
            return;
        }
        MasterSlaveEntry entry = masters.get(master);
        if (scanned != null && scanned != entry.getClient()) {
            cursor = "0"; // another node serves the master now (a failover): its cursor means nothing there
        }
        MasterReads.ScanStep step = reads.scan(entry, cursor, pattern, SCAN_COUNT);
        scanned = entry.getClient();
        cursor = step.cursor();
        if ("0".equals(cursor)) {
            master++;
            scanned = null;
        }
        hand(step.keys());
    }

    private void endScan() {
        if (before == null) {
            done = true; // one server: no slot moves
            return;
        }
        SlotStates scanned = before;
        followChanges((changed, after) -> {
            changed.or(scanned.open());
            changed.or(after.open());
        });
    }

    private void slotStep() {
        if (reader == order.size()) {
            slot = pending.nextSetBit(slot + 1);
            if (slot < 0) {
                endRound();
                return;
            }
            order = before.readOrder(slot).stream().map(byNode::get).toList();
            reader = 0;
            return;
        }
        List<String> keys = reads.keysInSlot(order.get(reader), slot);
        reader++;
        hand(keys.stream().filter(key -> key.startsWith(prefix)).toList());
    }

    private void endRound() {
        followChanges((changed, after) -> changed.and(pending));
    }

    /**
     * Reads the masters' slot states again and follows the slots changed since the last reading,
     * as {@code select} narrows or widens them; scans again from the start when the masters
     * themselves changed.
     */
    private void followChanges(BiConsumer<BitSet, SlotStates> select) {
        List<MasterSlaveEntry> now = reads.masters();
        SlotStates after = reads.slotStates(now);
        BitSet changed = after.changedSince(before);
        if (changed == null) {
            checkDeadline("the cluster's masters changed");
            startScan(now);
            return;
        }
        select.accept(changed, after);
        follow(changed, after, now);
    }

    /** Reads {@code slots} again, on the masters as {@code states} says they are; done when there are none. */
    private void follow(BitSet slots, SlotStates states, List<MasterSlaveEntry> now) {
        if (slots.isEmpty()) {
            done = true;
            return;
        }
        checkDeadline("slots " + describe(slots) + " kept moving");
        before = states;
        byNode = nodes(now, states);
        pending = slots;
        slot = -1;
        order = List.of();
        reader = 0;
    }

    private void checkDeadline(String what) {
        long now = System.currentTimeMillis();
        if (followDeadline == 0) {
            followDeadline = now + followMillis;
        } else if (now > followDeadline) {
            throw new IllegalStateException(what + " for " + followMillis + " ms after the keys under '" + prefix
                    + "' were scanned; keys in those slots may be left: try again once the slots have moved");
        }
    }

    private void hand(List<String> keys) {
        for (int from = 0; from < keys.size(); from += batchSize) {
            ready.add(keys.subList(from, Math.min(keys.size(), from + batchSize)));
        }
    }

    private static Map<String, MasterSlaveEntry> nodes(List<MasterSlaveEntry> masters, SlotStates states) {
        if (states == null) {
            return Map.of();
        }
        Map<String, MasterSlaveEntry> byNode = new HashMap<>();
        List<String> ids = states.nodeIds();
        for (int i = 0; i < masters.size(); i++) {
            byNode.put(ids.get(i), masters.get(i));
        }
        return byNode;
    }

    private static String describe(BitSet slots) {
        String listed = slots.stream().limit(10).mapToObj(Integer::toString).reduce((a, b) -> a + ", " + b).orElse("");
        return slots.cardinality() > 10 ? listed + " and " + (slots.cardinality() - 10) + " more" : listed;
    }
}
