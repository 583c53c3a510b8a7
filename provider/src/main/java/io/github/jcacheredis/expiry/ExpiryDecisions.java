package io.github.jcacheredis.expiry;

import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.Ttl;
import io.github.jcacheredis.storage.TtlResolver;
import java.util.Set;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * Turns a cache's {@link ExpiryPolicy} into {@link Ttl} codes. The five policies of the JCache API
 * return fixed durations, so their answers are read once and every write can carry both the
 * creation and the update TTL in one round trip. Any other policy is asked only once the store
 * knows which case applies (this is its {@link TtlResolver}), so it sees exactly the calls the
 * specification prescribes.
 */
public final class ExpiryDecisions implements TtlResolver {

    private static final Set<Class<?>> CONSTANT_POLICIES = Set.of(CreatedExpiryPolicy.class,
            AccessedExpiryPolicy.class, ModifiedExpiryPolicy.class, TouchedExpiryPolicy.class,
            EternalExpiryPolicy.class);

    private final ExpiryPolicy policy;
    private final boolean constant;
    private final long creation;
    private final long update;
    private final long access;

    public ExpiryDecisions(ExpiryPolicy policy) {
        this.policy = policy;
        this.constant = CONSTANT_POLICIES.contains(policy.getClass());
        this.creation = constant ? askCreation() : Ttl.UNKNOWN;
        this.update = constant ? askUpdate() : Ttl.UNKNOWN;
        this.access = constant ? askAccess() : Ttl.UNKNOWN;
    }

    public ExpiryPolicy policy() {
        return policy;
    }

    /** True when the policy's answers are known without asking it. */
    public boolean isConstant() {
        return constant;
    }

    /** The creation TTL if known in advance, else {@link Ttl#UNKNOWN}. */
    public long creationHint() {
        return creation;
    }

    /** The update TTL if known in advance, else {@link Ttl#UNKNOWN}. */
    public long updateHint() {
        return update;
    }

    /** The access TTL if known in advance, else {@link Ttl#UNKNOWN}. */
    public long accessHint() {
        return access;
    }

    /** The TTL of a new entry; a policy that fails or answers null leaves it eternal. */
    @Override
    public long creation() {
        return constant ? creation : askCreation();
    }

    /** The TTL after an update; a policy that fails leaves it unchanged. */
    @Override
    public long update() {
        return constant ? update : askUpdate();
    }

    /** The TTL after a read; a policy that fails leaves it unchanged. */
    public long access() {
        return constant ? access : askAccess();
    }

    @Override
    public boolean neverShortens(long accessTtl) {
        return constant && accessTtl > 0 && atLeast(creation, accessTtl) && (update == Ttl.KEEP || atLeast(update, accessTtl));
    }

    private static boolean atLeast(long ttl, long millis) {
        return ttl == Ttl.ETERNAL || ttl >= millis;
    }

    /** Applies the access TTL to an entry that was read (a policy that is not constant is asked). */
    public void touch(EntryStore store, String encodedKey) {
        long ttl = access();
        if (ttl != Ttl.KEEP) {
            store.expire(encodedKey, ttl);
        }
    }

    /** Resolves an {@link Ttl#UNKNOWN} hint for an entry that exists or not. */
    public long resolve(long hint, boolean entryExists) {
        if (hint != Ttl.UNKNOWN) {
            return hint;
        }
        return entryExists ? update() : creation();
    }

    private long askCreation() {
        try {
            Duration duration = policy.getExpiryForCreation();
            return duration == null ? Ttl.ETERNAL : Ttl.of(duration);
        } catch (RuntimeException e) {
            return Ttl.ETERNAL;
        }
    }

    private long askUpdate() {
        try {
            return Ttl.of(policy.getExpiryForUpdate());
        } catch (RuntimeException e) {
            return Ttl.KEEP;
        }
    }

    private long askAccess() {
        try {
            return Ttl.of(policy.getExpiryForAccess());
        } catch (RuntimeException e) {
            return Ttl.KEEP;
        }
    }
}
