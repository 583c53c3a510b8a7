package io.github.jcacheredis.store;

/**
 * The write lease of one entry, held by this instance (see {@link WriteLeases}), with the value
 * the entry held when it was taken. A write fenced by it ({@link Mutation#fencedBy}) applies only
 * while it is still held, and releases it.
 */
public final class WriteLease {

    private final String segment;
    private final String token;
    private final byte[] current;
    private final boolean nested;
    private volatile boolean released;

    WriteLease(String segment, String token, byte[] current, boolean nested) {
        this.segment = segment;
        this.token = token;
        this.current = current;
        this.nested = nested;
    }

    /** The encoded key of the entry. */
    public String segment() {
        return segment;
    }

    /** The entry's value when the lease was taken, null when absent. */
    public byte[] current() {
        return current;
    }

    String token() {
        return token;
    }

    /**
     * True when this thread already held the entry's lease (a write made from inside an entry
     * processor of the same key): writing does not release it then, the outer holder does. Also
     * true for the stand-in lease of a degraded cache, which holds nothing in Redis.
     */
    boolean nested() {
        return nested;
    }

    boolean released() {
        return released;
    }

    void markReleased() {
        released = true;
    }
}
