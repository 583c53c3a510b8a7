package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which writes a switch of publication waits for before another instance's registration is confirmed. */
class PublishedWritesUnitTests {

    private static final Publication PUBLISHING = new Publication("c", "me", false, 0, WriteTickets.NONE);

    @Test
    void aSwitchWithNoWriteInFlightIsDrainedAtOnce() {
        PublishedWrites writes = new PublishedWrites();
        assertTrue(writes.switchTo(PUBLISHING).isDone());
    }

    @Test
    void aWriteThatBeganBeforeTheSwitchHoldsItsDrainUntilItEnds() {
        PublishedWrites writes = new PublishedWrites();
        PublishedWrites.Write unpublished = writes.begin();
        CompletableFuture<Void> drained = writes.switchTo(PUBLISHING);
        PublishedWrites.Write published = writes.begin();

        assertSame(Publication.NONE, unpublished.publication(), "it decided before the switch");
        assertSame(PUBLISHING, published.publication());
        assertFalse(drained.isDone());
        published.close();
        assertFalse(drained.isDone(), "a write that began after the switch does not count");
        unpublished.close();
        assertTrue(drained.isDone());
    }

    @Test
    void aLaterSwitchAlsoWaitsForWritesOfEarlierPublications() {
        PublishedWrites writes = new PublishedWrites();
        PublishedWrites.Write oldest = writes.begin();
        writes.switchTo(PUBLISHING);
        CompletableFuture<Void> second = writes.switchTo(PUBLISHING);
        assertFalse(second.isDone(), "the oldest write is still in flight");
        oldest.close();
        assertTrue(second.isDone());
    }

    @Test
    void closingAWriteTwiceCountsOnce() {
        PublishedWrites writes = new PublishedWrites();
        PublishedWrites.Write first = writes.begin();
        PublishedWrites.Write second = writes.begin();
        CompletableFuture<Void> drained = writes.switchTo(PUBLISHING);
        first.close();
        first.close();
        assertFalse(drained.isDone());
        second.close();
        assertTrue(drained.isDone());
    }
}
