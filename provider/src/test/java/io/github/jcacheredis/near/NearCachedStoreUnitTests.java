package io.github.jcacheredis.near;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.inmemory.MemoryEntryStore;
import io.github.jcacheredis.storage.Ttl;
import io.github.jcacheredis.storage.TtlResolver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The near-cache front on a store of this JVM, with one clock for both: hits are local, every
 * write through the front drops the local copy, a copy never outlives the entry's TTL in the
 * store, and a change the front did not see (another writer of the store) is served until its
 * invalidation arrives.
 */
class NearCachedStoreUnitTests {

    private static final byte[] V1 = {1};
    private static final byte[] V2 = {2};

    private final AtomicLong millis = new AtomicLong(1_000);
    private final MemoryEntryStore store = new MemoryEntryStore("c", millis::get, TtlResolver.ETERNAL);
    private final NearCache tier = new NearCache(new NearCacheSettings(100, null),
            () -> TimeUnit.MILLISECONDS.toNanos(millis.get()));
    private final NearCachedStore front = new NearCachedStore(store, tier, false, () -> { });

    @Test
    void aReadFillsTheTierAndAWriteThroughTheFrontEmptiesIt() {
        store.put("k", V1, Ttl.ETERNAL, Ttl.KEEP, false, false);
        assertArrayEquals(V1, front.getAndExpire("k", Ttl.KEEP));
        store.put("k", V2, Ttl.ETERNAL, Ttl.KEEP, false, false); // behind the front's back
        assertArrayEquals(V1, front.getAndExpire("k", Ttl.KEEP), "served locally until an invalidation arrives");
        tier.invalidate("k");
        assertArrayEquals(V2, front.getAndExpire("k", Ttl.KEEP));

        front.put("k", V1, Ttl.ETERNAL, Ttl.KEEP, false, false);
        assertArrayEquals(V1, front.getAndExpire("k", Ttl.KEEP), "read-your-writes through the front");
        front.remove("k", false);
        assertNull(front.getAndExpire("k", Ttl.KEEP));
        assertFalse(front.exists("k"));
    }

    @Test
    void aLocalCopyLivesNoLongerThanItsEntryInTheStore() {
        store.put("k", V1, 500, 500, false, false);
        assertArrayEquals(V1, front.getAndExpire("k", Ttl.KEEP));
        millis.addAndGet(499);
        assertTrue(front.exists("k"));
        millis.addAndGet(1);
        assertNull(front.getAndExpire("k", Ttl.KEEP), "the copy went with the entry's TTL");
    }

    @Test
    void anUntrustedTierIsBypassed() {
        store.put("k", V1, Ttl.ETERNAL, Ttl.KEEP, false, false);
        front.getAndExpire("k", Ttl.KEEP);
        tier.distrust();
        store.put("k", V2, Ttl.ETERNAL, Ttl.KEEP, false, false);
        assertArrayEquals(V2, front.getAndExpire("k", Ttl.KEEP), "reads go to the store while it is not trusted");
    }
}
