package io.github.jcacheredis.concurrent;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by key, local to one JVM. They let only one thread of this instance run an entry
 * processor for a key at a time (so a value loader behind {@code invoke} runs once per instance
 * and threads do not make each other retry); across instances the compare-and-set keeps
 * processors atomic, so no lock ever spans processes.
 */
public final class KeyLocks {

    private final ReentrantLock[] stripes;

    public KeyLocks(int stripes) {
        this.stripes = new ReentrantLock[Integer.highestOneBit(Math.max(1, stripes - 1)) << 1];
        for (int i = 0; i < this.stripes.length; i++) {
            this.stripes[i] = new ReentrantLock();
        }
    }

    /** The lock for {@code key}; equal keys always get the same lock. */
    public ReentrantLock lockFor(Object key) {
        int hash = key.hashCode();
        hash ^= hash >>> 16;
        return stripes[hash & (stripes.length - 1)];
    }
}
