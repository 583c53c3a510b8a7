package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SkippedWritesUnitTests {

    private final KeyLayout orders = new KeyLayout("ns", "orders");
    private final KeyLayout users = new KeyLayout("ns", "users");

    @Test
    void aKeySkippedAgainWhileARoundUndidItStaysRecorded() {
        SkippedWrites skipped = new SkippedWrites(100);
        skipped.add(orders, List.of("1", "2"));
        SkippedWrites.Snapshot round = skipped.snapshot();
        skipped.add(orders, List.of("2", "3")); // while the round deletes 1 and 2

        skipped.forget(round);

        assertEquals(java.util.Set.of("ns:orders:2", "ns:orders:3"), skipped.snapshot().keys().keySet());
    }

    @Test
    void overflowingTheBoundClearsThatCacheAndFreesItsRecordsForOthers() {
        SkippedWrites skipped = new SkippedWrites(2);
        assertTrue(skipped.add(orders, List.of("1", "2")));
        assertFalse(skipped.add(orders, List.of("3")));
        assertTrue(skipped.add(users, List.of("a", "b")));

        SkippedWrites.Snapshot snapshot = skipped.snapshot();
        assertEquals(java.util.Set.of("ns:users:a", "ns:users:b"), snapshot.keys().keySet());
        assertEquals(java.util.Set.of("ns:orders:"), snapshot.caches().keySet());
        assertTrue(skipped.add(orders, List.of("4")), "a cache to be cleared takes further skips without a record");
    }

    @Test
    void aClearAskedForAgainDuringARoundIsCarriedOutAgain() {
        SkippedWrites skipped = new SkippedWrites(10);
        skipped.addClear(orders);
        SkippedWrites.Snapshot round = skipped.snapshot();
        skipped.addClear(orders);
        skipped.forget(round);
        assertFalse(skipped.isEmpty());
        skipped.forget(skipped.snapshot());
        assertTrue(skipped.isEmpty());
    }

    @Test
    void aWriteSkippedWhileARoundClearsItsCacheIsRecordedByItsKey() {
        SkippedWrites skipped = new SkippedWrites(10);
        skipped.addClear(orders);
        SkippedWrites.Snapshot round = skipped.startRound();
        assertTrue(skipped.add(orders, List.of("1")), "skipped while the round clears orders");

        skipped.forget(round);

        SkippedWrites.Snapshot next = skipped.snapshot();
        assertEquals(java.util.Set.of("ns:orders:1"), next.keys().keySet());
        assertEquals(java.util.Set.of(), next.caches().keySet(), "the clear is not asked for again");
    }

    @Test
    void keysSkippedWhileARoundClearsTheirCacheThatOverflowAskForTheClearAgain() {
        SkippedWrites skipped = new SkippedWrites(1);
        skipped.addClear(orders);
        SkippedWrites.Snapshot round = skipped.startRound();
        assertFalse(skipped.add(orders, List.of("1", "2")));

        skipped.forget(round);

        assertEquals(java.util.Set.of("ns:orders:"), skipped.snapshot().caches().keySet());
        assertEquals(java.util.Set.of(), skipped.snapshot().keys().keySet());
    }
}
