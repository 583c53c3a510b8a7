package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the masters' own CLUSTER NODES lines, and which slots moved between two readings. */
class SlotStatesUnitTests {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);

    @Test
    void aMastersOwnLineGivesItsSlotsAndItsOpenSlots() {
        String reply = B + " 127.0.0.1:7001@17001 master - 0 1 2 connected 5461-10922\n"
                + A + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-99 100 101-5460 [100->-" + B + "] [11000-<-"
                + C + "]\n"
                + C + " 127.0.0.1:7002@17002 master - 0 1 3 connected 10923-16383\n";
        SlotStates.Master own = SlotStates.Master.parse(reply);
        assertEquals(A, own.nodeId());
        BitSet served = new BitSet();
        served.set(0, 5461);
        assertEquals(served, own.served());
        assertEquals(Map.of(100, B), own.migratingTo());
        assertEquals(Map.of(11000, C), own.importingFrom());
    }

    @Test
    void aReplyWithoutTheNodesOwnLineIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SlotStates.Master.parse(B + " 127.0.0.1:7001@17001 master - 0 1 2 connected 0-16383\n"));
    }

    @Test
    void aQuietClusterChangesNothingAndHasNoOpenSlot() {
        SlotStates first = states(line(A, "0-8191"), line(B, "8192-16383"));
        SlotStates second = states(line(A, "0-8191"), line(B, "8192-16383"));
        assertTrue(second.changedSince(first).isEmpty());
        assertTrue(second.open().isEmpty());
    }

    @Test
    void aSlotThatChangedMastersOrWasOpenedOrClosedChanged() {
        SlotStates before = states(line(A, "0-8191 [7->-" + B + "]"), line(B, "8192-16383 [7-<-" + A + "]"));
        // slot 7 has moved (closed on both), slot 9 is moving now
        SlotStates after = states(line(A, "0-6 8-8191 [9->-" + B + "]"), line(B, "7 8192-16383 [9-<-" + A + "]"));
        BitSet changed = after.changedSince(before);
        assertEquals(bits(7, 9), changed);
        assertEquals(bits(7), before.open());
        assertEquals(bits(9), after.open());
    }

    @Test
    void aMoveRedirectedToAnotherTargetChanged() {
        SlotStates before = states(line(A, "0-5000 [7->-" + B + "]"), line(B, "5001-10000"), line(C, "10001-16383"));
        SlotStates after = states(line(A, "0-5000 [7->-" + C + "]"), line(B, "5001-10000"), line(C, "10001-16383"));
        assertEquals(bits(7), after.changedSince(before));
    }

    @Test
    void otherMastersThanBeforeChangeEverything() {
        SlotStates before = states(line(A, "0-8191"), line(B, "8192-16383"));
        SlotStates after = states(line(A, "0-8191"), line(C, "8192-16383"));
        assertNull(after.changedSince(before));
    }

    @Test
    void aMovingSlotIsReadOnItsSourceFirstAndItsTargetLast() {
        SlotStates states = states(line(C, "10001-16383 [12-<-" + A + "]"), line(B, "5001-10000"),
                line(A, "0-5000 [12->-" + C + "]"));
        assertEquals(List.of(A, B, C), states.readOrder(12));
        assertEquals(List.of(C, B, A), states.readOrder(13));
    }

    private static String line(String id, String slots) {
        return id + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected " + slots;
    }

    private static SlotStates states(String... ownLines) {
        return SlotStates.of(Arrays.stream(ownLines).map(SlotStates.Master::parse).toList());
    }

    private static BitSet bits(int... slots) {
        BitSet bits = new BitSet();
        for (int slot : slots) {
            bits.set(slot);
        }
        return bits;
    }
}
