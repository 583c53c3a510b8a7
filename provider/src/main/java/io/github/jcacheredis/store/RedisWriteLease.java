package io.github.jcacheredis.store;

import io.github.jcacheredis.storage.WriteLease;

/**
 * A write lease as Redis holds it (see {@link WriteLeases}): the holder's token in a key of the
 * entry's slot, which the write script checks and releases.
 */
final class RedisWriteLease implements WriteLease {

    private final String encodedKey;
    private final String token;
    private final byte[] current;
    private final boolean nested;
    private volatile boolean released;

    RedisWriteLease(String encodedKey, String token, byte[] current, boolean nested) {
        this.encodedKey = encodedKey;
        this.token = token;
        this.current = current;
        this.nested = nested;
    }

    @Override
    public String encodedKey() {
        return encodedKey;
    }

    @Override
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

    /**
     * True for the stand-in lease a degraded cache hands out while Redis is unreachable: it holds
     * nothing in Redis, so it fences nothing.
     */
    boolean standsIn() {
        return token.isEmpty();
    }

    boolean released() {
        return released;
    }

    void markReleased() {
        released = true;
    }
}
