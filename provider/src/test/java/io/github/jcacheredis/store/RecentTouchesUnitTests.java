package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentTouchesUnitTests {

    private static final long TEN_MINUTES = 600_000;

    @Test
    void theSlackIsAHundredthOfTheTtlAndAtMostOneSecond() {
        assertEquals(1_000, RecentTouches.slack(TEN_MINUTES));
        assertEquals(500, RecentTouches.slack(50_000));
        assertEquals(0, RecentTouches.slack(99), "a TTL under 100 ms is reset on every access");
    }

    @Test
    void aReadWithinTheSlackOfTheLastResetOfTheSameKeyAndTtlSkipsIt() {
        RecentTouches touches = new RecentTouches();
        long sentAt = 5_000;
        assertFalse(touches.isRecent("k", TEN_MINUTES, sentAt), "never reset");

        touches.touched("k", TEN_MINUTES, sentAt);

        assertTrue(touches.isRecent("k", TEN_MINUTES, sentAt));
        assertTrue(touches.isRecent("k", TEN_MINUTES, sentAt + 999));
        assertFalse(touches.isRecent("k", TEN_MINUTES, sentAt + 1_000), "the slack has run out");
        assertFalse(touches.isRecent("k", TEN_MINUTES - 1, sentAt + 1), "another TTL");
        assertFalse(touches.isRecent("other", TEN_MINUTES, sentAt + 1), "another key");
    }

    @Test
    void aTtlWithNoSlackIsNeverSkipped() {
        RecentTouches touches = new RecentTouches();
        touches.touched("k", 50, 10);
        assertFalse(touches.isRecent("k", 50, 10));
    }

    @Test
    void keysSharingASlotTakeItFromEachOtherButAreNeverMistakenForEachOther() {
        RecentTouches touches = new RecentTouches();
        for (int i = 0; i < 100_000; i++) {
            touches.touched("key-" + i, TEN_MINUTES, 1);
        }
        int mistaken = 0;
        for (int i = 100_000; i < 200_000; i++) {
            if (touches.isRecent("key-" + i, TEN_MINUTES, 2)) {
                mistaken++;
            }
        }
        assertEquals(0, mistaken, "keys never reset taken for recently reset ones");
        assertTrue(touches.isRecent("key-99999", TEN_MINUTES, 2), "the last key reset in its slot");
    }

    /** A key whose string shares its hash code with another's is not taken for it: its own reset may be long ago. */
    @Test
    void keysWithTheSameHashCodeAreNotTakenForEachOther() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        RecentTouches touches = new RecentTouches();
        touches.touched("cache:Aa", TEN_MINUTES, 1);
        assertTrue(touches.isRecent("cache:Aa", TEN_MINUTES, 2));
        assertFalse(touches.isRecent("cache:BB", TEN_MINUTES, 2));
    }
}
