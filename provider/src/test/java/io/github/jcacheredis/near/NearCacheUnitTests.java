package io.github.jcacheredis.near;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jcacheredis.support.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NearCacheUnitTests {

    private static final byte[] OLD = {1};

    @Test
    void aReadCompletedWithoutInterferenceFillsTheTier() {
        NearCache near = new NearCache(new NearCacheSettings(10, null));
        Object token = near.beginLoad("k");
        near.completeLoad("k", token, OLD, -1);
        assertArrayEquals(OLD, near.get("k"));
    }

    @Test
    void anInvalidationArrivingBeforeTheReplyWinsOverTheReply() {
        NearCache near = new NearCache(new NearCacheSettings(10, null));
        Object token = near.beginLoad("k");
        near.invalidate("k"); // another instance wrote k while our GET was in flight
        near.completeLoad("k", token, OLD, -1);
        assertNull(near.get("k"), "the reply carried the value from before the write");
    }

    @Test
    void aClearCancelsEveryReadInFlight() {
        NearCache near = new NearCache(new NearCacheSettings(10, null));
        Object a = near.beginLoad("a");
        Object b = near.beginLoad("b");
        near.invalidateAll();
        near.completeLoad("a", a, OLD, -1);
        near.completeLoad("b", b, OLD, -1);
        assertNull(near.get("a"));
        assertNull(near.get("b"));
    }

    @Test
    void aNewerReadOfTheSameKeySupersedesAnOlderOne() {
        NearCache near = new NearCache(new NearCacheSettings(10, null));
        Object older = near.beginLoad("k");
        Object newer = near.beginLoad("k");
        near.completeLoad("k", older, OLD, -1);
        assertNull(near.get("k"));
        near.completeLoad("k", newer, new byte[] {2}, -1);
        assertArrayEquals(new byte[] {2}, near.get("k"));
    }

    @Test
    void aValueLivesNoLongerThanItsRedisTtlNorTheLocalTtl() {
        AtomicLong now = new AtomicLong();
        NearCache near = new NearCache(new NearCacheSettings(10, Duration.ofSeconds(60)), now::get);
        near.completeLoad("short", near.beginLoad("short"), OLD, 30);
        near.completeLoad("long", near.beginLoad("long"), OLD, -1);
        near.completeLoad("gone", near.beginLoad("gone"), OLD, 0);
        assertNull(near.get("gone"), "an entry that expired in Redis is not kept");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(29));
        assertArrayEquals(OLD, near.get("short"));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertNull(near.get("short"), "gone with the 30 ms it had left in Redis");
        now.addAndGet(TimeUnit.SECONDS.toNanos(60) - TimeUnit.MILLISECONDS.toNanos(31));
        assertArrayEquals(OLD, near.get("long"), "an entry without a TTL is kept up to the local TTL");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertNull(near.get("long"), "and no longer");
    }

    @Test
    void anUntrustedTierIsNeitherServedNorFilledAndStartsEmptyWhenTrustedAgain() {
        NearCache near = new NearCache(new NearCacheSettings(10, null));
        near.completeLoad("kept", near.beginLoad("kept"), OLD, -1);
        Object inFlight = near.beginLoad("k");

        near.trustUntil(System.nanoTime() - 1); // e.g. its subscription dropped
        assertNull(near.get("kept"), "not served");
        near.completeLoad("k", inFlight, OLD, -1);
        near.completeLoad("new", near.beginLoad("new"), OLD, -1);

        near.trustUntil(System.nanoTime() + Duration.ofHours(1).toNanos());
        assertNull(near.get("kept"), "what it held before is gone");
        assertNull(near.get("k"), "the read in flight did not fill it");
        assertNull(near.get("new"), "a read while untrusted did not fill it");
        near.completeLoad("k", near.beginLoad("k"), OLD, -1);
        assertArrayEquals(OLD, near.get("k"), "trusted again, it fills as before");
    }

    @Test
    void trustLapsesAtItsDeadlineAndResumingAfterALapseEmptiesTheTier() {
        NearCache near = new NearCache(new NearCacheSettings(10, null));
        near.trustUntil(System.nanoTime() + Duration.ofMillis(20).toNanos()); // a lease about to run out
        near.completeLoad("k", near.beginLoad("k"), OLD, -1);
        assertArrayEquals(OLD, near.get("k"));
        Await.until(() -> !near.isTrusted(), Duration.ofSeconds(5));
        assertNull(near.get("k"), "not served once the deadline passed");

        near.trustUntil(System.nanoTime() + Duration.ofHours(1).toNanos()); // renewed, after the lapse
        assertNull(near.get("k"), "a renewal after a lapse does not bring back what it held");
    }

    @Test
    void extendingTrustBeforeItLapsesKeepsTheTier() {
        NearCache near = new NearCache(new NearCacheSettings(10, null));
        near.trustUntil(System.nanoTime() + Duration.ofHours(1).toNanos());
        near.completeLoad("k", near.beginLoad("k"), OLD, -1);
        near.trustUntil(System.nanoTime() + Duration.ofHours(2).toNanos());
        assertArrayEquals(OLD, near.get("k"));
    }

    @Test
    void settingsParseAndRefuseNonsense() {
        assertEquals(new NearCacheSettings(10_000, Duration.ofSeconds(30)), NearCacheSettings.parse("10000,30s"));
        assertEquals(new NearCacheSettings(500, null), NearCacheSettings.parse("500"));
        assertNull(NearCacheSettings.parse("off"));
        assertThrows(IllegalArgumentException.class, () -> NearCacheSettings.parse("many"));
        assertThrows(IllegalArgumentException.class, () -> NearCacheSettings.parse("0"));
    }
}
