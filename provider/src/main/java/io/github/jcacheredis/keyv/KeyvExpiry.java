package io.github.jcacheredis.keyv;

import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.storage.Ttl;
import javax.cache.CacheException;

/**
 * Which expiry policies keyv's format can hold. keyv writes the expiry time into the value
 * ({@code "expires"}) and checks it on every read, next to the native TTL; so the provider must
 * know a write's TTL before it encodes the value, and no read may move it. That leaves policies
 * whose creation and update TTL are the same constant and whose reads keep the TTL:
 * {@code ModifiedExpiryPolicy} (keyv's {@code set(key, value, ttl)}) and
 * {@code EternalExpiryPolicy} (keyv's {@code set(key, value)}, the default).
 */
final class KeyvExpiry {

    private KeyvExpiry() {
    }

    /** The TTL every write of the cache sets in milliseconds, or {@link Ttl#ETERNAL}. */
    static long ttlMillis(String cacheName, ExpiryDecisions expiry) {
        String policy = expiry.policy().getClass().getName();
        if (!expiry.isConstant()) {
            throw refused(cacheName, policy, "asks the policy for each entry, so the TTL is not known before the write");
        }
        if (expiry.accessHint() != Ttl.KEEP) {
            throw refused(cacheName, policy, "changes the TTL on reads, which keyv's \"expires\" would not follow");
        }
        long creation = expiry.creationHint();
        if (creation == Ttl.ETERNAL || creation == Ttl.EXPIRE_NOW) {
            return Ttl.ETERNAL;
        }
        if (expiry.updateHint() != creation) {
            throw refused(cacheName, policy, "keeps the TTL on updates, so an update could not say when it expires");
        }
        return creation;
    }

    private static CacheException refused(String cacheName, String policy, String why) {
        return new CacheException("Cache[" + cacheName + "] uses format=keyv, which stores each entry's expiry time"
                + " in its value as @keyv/redis does, but its expiry policy " + policy + " " + why
                + "; use ModifiedExpiryPolicy (keyv's set with a ttl) or EternalExpiryPolicy (no ttl)");
    }
}
