package io.github.jcacheredis.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.storage.Ttl;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;

class ExpiryDecisionsUnitTests {

    @Test
    void durationsBecomeTtlCodes() {
        assertEquals(Ttl.KEEP, Ttl.of(null));
        assertEquals(Ttl.ETERNAL, Ttl.of(Duration.ETERNAL));
        assertEquals(Ttl.EXPIRE_NOW, Ttl.of(Duration.ZERO));
        assertEquals(1500, Ttl.of(new Duration(TimeUnit.MILLISECONDS, 1500)));
        assertEquals(60_000, Ttl.of(Duration.ONE_MINUTE));
        assertEquals(Ttl.MAX_MILLIS, Ttl.of(new Duration(TimeUnit.DAYS, Long.MAX_VALUE / 1_000_000_000L)));
    }

    @Test
    void anAccessTtlMayBeLeftForAMomentOnlyWhereNoWriteSetsAShorterOne() {
        assertTrue(new ExpiryDecisions(new AccessedExpiryPolicy(Duration.ONE_MINUTE)).neverShortens(60_000));
        assertTrue(new ExpiryDecisions(new TouchedExpiryPolicy(Duration.ONE_MINUTE)).neverShortens(60_000));
        assertFalse(new ExpiryDecisions(new CreatedExpiryPolicy(Duration.ONE_MINUTE)).neverShortens(120_000),
                "a creation TTL shorter than the access TTL");
        AtomicInteger asked = new AtomicInteger();
        ExpiryPolicy custom = new ExpiryPolicy() {
            @Override
            public Duration getExpiryForCreation() {
                asked.incrementAndGet();
                return Duration.ONE_MINUTE;
            }

            @Override
            public Duration getExpiryForAccess() {
                asked.incrementAndGet();
                return Duration.ONE_MINUTE;
            }

            @Override
            public Duration getExpiryForUpdate() {
                asked.incrementAndGet();
                return Duration.ONE_MINUTE;
            }
        };
        assertFalse(new ExpiryDecisions(custom).neverShortens(60_000), "a policy whose answers may change");
        assertEquals(0, asked.get(), "without asking the policy");
    }

    @Test
    void builtInPoliciesAreReadOnceAndKnownUpFront() {
        ExpiryDecisions created = new ExpiryDecisions(new CreatedExpiryPolicy(Duration.FIVE_MINUTES));
        assertTrue(created.isConstant());
        assertEquals(300_000, created.creationHint());
        assertEquals(Ttl.KEEP, created.updateHint());
        assertEquals(Ttl.KEEP, created.accessHint());

        ExpiryDecisions accessed = new ExpiryDecisions(new AccessedExpiryPolicy(Duration.ONE_MINUTE));
        assertEquals(60_000, accessed.accessHint());

        ExpiryDecisions touched = new ExpiryDecisions(new TouchedExpiryPolicy(Duration.ONE_MINUTE));
        assertEquals(60_000, touched.updateHint());

        ExpiryDecisions eternal = new ExpiryDecisions(new EternalExpiryPolicy());
        assertEquals(Ttl.ETERNAL, eternal.creationHint());
    }

    @Test
    void otherPoliciesAreAskedOnlyForTheCaseThatApplies() {
        CountingPolicy policy = new CountingPolicy();
        ExpiryDecisions decisions = new ExpiryDecisions(policy);
        assertFalse(decisions.isConstant());
        assertEquals(Ttl.UNKNOWN, decisions.creationHint());
        assertEquals(Ttl.UNKNOWN, decisions.updateHint());
        assertEquals(0, policy.calls.get(), "building the decisions asks nothing");

        assertEquals(1000, decisions.resolve(decisions.creationHint(), false));
        assertEquals(1, policy.creations.get());
        assertEquals(0, policy.updates.get());
        assertEquals(Ttl.KEEP, decisions.resolve(decisions.updateHint(), true));
        assertEquals(1, policy.updates.get());
    }

    @Test
    void failingPoliciesFallBackToEternalOnCreationAndUnchangedOtherwise() {
        ExpiryPolicy failing = new ExpiryPolicy() {
            @Override
            public Duration getExpiryForCreation() {
                throw new IllegalStateException("boom");
            }

            @Override
            public Duration getExpiryForAccess() {
                throw new IllegalStateException("boom");
            }

            @Override
            public Duration getExpiryForUpdate() {
                throw new IllegalStateException("boom");
            }
        };
        ExpiryDecisions decisions = new ExpiryDecisions(failing);
        assertEquals(Ttl.ETERNAL, decisions.creation());
        assertEquals(Ttl.KEEP, decisions.update());
        assertEquals(Ttl.KEEP, decisions.access());
    }

    static final class CountingPolicy implements ExpiryPolicy {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger creations = new AtomicInteger();
        final AtomicInteger updates = new AtomicInteger();

        @Override
        public Duration getExpiryForCreation() {
            calls.incrementAndGet();
            creations.incrementAndGet();
            return new Duration(TimeUnit.SECONDS, 1);
        }

        @Override
        public Duration getExpiryForAccess() {
            calls.incrementAndGet();
            return null;
        }

        @Override
        public Duration getExpiryForUpdate() {
            calls.incrementAndGet();
            updates.incrementAndGet();
            return null;
        }
    }
}
