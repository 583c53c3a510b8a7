package io.github.jcacheredis.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What a write does while Redis is unreachable and the manager degrades: the cache acts as empty,
 * so a write that an empty cache would take is skipped (and undone once Redis is back), and one
 * that needs the entry present or equal to a value finds nothing.
 */
class MutationUnitTests {

    private static final byte[] VALUE = {1};

    @Test
    void writesAnEmptyCacheWouldTakeAreSkippedAndUndoneLater() {
        for (Mutation skipped : new Mutation[] {Mutation.put(VALUE, Ttl.ETERNAL, Ttl.KEEP, false),
            Mutation.putIfAbsent(VALUE, Ttl.ETERNAL), Mutation.compareAndSet(null, VALUE, Ttl.ETERNAL, Ttl.KEEP)}) {
            assertTrue(skipped.skippedWhenDegraded());
            assertEquals(Outcome.SKIPPED, skipped.whenDegraded().outcome());
        }
        Mutation remove = Mutation.remove(true);
        assertTrue(remove.skippedWhenDegraded(), "a removal is recorded, so that the entry is removed once back");
        assertEquals(Outcome.ABSENT, remove.whenDegraded().outcome(), "as on an empty cache: nothing was there");
    }

    @Test
    void writesThatNeedTheEntryFindNothingAndAreNotRecorded() {
        for (Mutation conflicted : new Mutation[] {Mutation.replace(VALUE, Ttl.KEEP, false),
            Mutation.replaceIfEquals(VALUE, VALUE, Ttl.KEEP), Mutation.removeIfEquals(VALUE),
            Mutation.compareAndSet(VALUE, VALUE, Ttl.ETERNAL, Ttl.KEEP)}) {
            assertFalse(conflicted.skippedWhenDegraded());
            assertEquals(Outcome.CONFLICT, conflicted.whenDegraded().outcome());
        }
    }
}
