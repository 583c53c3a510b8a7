package io.github.jcacheredis.storage;

/**
 * Answers a store that must know the TTL of a write whose {@link Mutation} left it
 * {@code Ttl.UNKNOWN}: the expiry policy is asked only for the case that applies, once the store
 * knows whether the entry exists.
 */
public interface TtlResolver {

    /** New entries without a TTL, updates keeping theirs: for stores that never ask (clearing only). */
    TtlResolver ETERNAL = new TtlResolver() {
        @Override
        public long creation() {
            return Ttl.ETERNAL;
        }

        @Override
        public long update() {
            return Ttl.KEEP;
        }
    };

    /** The TTL of a new entry ({@code Ttl} code or milliseconds). */
    long creation();

    /** The TTL of an entry that gets a new value ({@code Ttl} code or milliseconds). */
    long update();

    /**
     * True when no write sets a TTL shorter than {@code accessTtl}, known without asking a policy:
     * a read may then leave an access TTL that it set moments ago as it is, and the entry expires
     * at most those moments early, whatever was written since.
     */
    default boolean neverShortens(long accessTtl) {
        return false;
    }
}
