package io.github.jcacheredis.concurrent;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key, local to one JVM, held only while some thread holds or waits for it: no two
 * different keys ever share a lock. They let only one thread of this instance run an entry
 * processor for a key at a time (so a value loader behind {@code invoke} runs once per instance
 * and threads do not make each other retry); across instances the compare-and-set or the write
 * lease decides, so no lock here ever spans processes, and none is needed for correctness.
 *
 * <p>So a thread never waits for them in a way that could last for ever: one that already holds
 * a key's lock (a processor invoking another key) takes another only if it is free at once, and
 * any other waits at most {@link #WAIT_MILLIS}; a thread that did not get the lock goes on
 * without it. Two processors invoking each other's keys deadlocked, and a processor whose
 * CacheWriter hung held every other thread of the instance on its key for ever.
 */
public final class KeyLocks {

    /** The longest a thread waits for a key's turn before it goes on without it. */
    public static final long WAIT_MILLIS = 10_000;
    /** How many key locks the current thread holds, across all caches. */
    private static final ThreadLocal<int[]> HELD = ThreadLocal.withInitial(() -> new int[1]);

    private final ConcurrentHashMap<String, Lock> locks = new ConcurrentHashMap<>();

    /** Takes the lock of {@code key} if it can (see above); closing the handle releases what was taken. */
    public Held lock(String key) {
        Lock lock = locks.compute(key, (k, current) -> {
            Lock held = current == null ? new Lock() : current;
            held.users++;
            return held;
        });
        int[] held = HELD.get();
        boolean taken = held[0] > 0 ? lock.lock.tryLock() : tryLock(lock.lock);
        if (taken) {
            held[0]++;
        }
        return () -> {
            if (taken) {
                held[0]--;
                lock.lock.unlock();
            }
            locks.computeIfPresent(key, (k, current) -> --current.users == 0 ? null : current);
        };
    }

    private static boolean tryLock(ReentrantLock lock) {
        try {
            return lock.tryLock(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How many keys have a lock now (held or waited for). */
    public int size() {
        return locks.size();
    }

    /** A held lock; closing it releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Lock {
        final ReentrantLock lock = new ReentrantLock();
        /** Threads holding or waiting; changed only inside the map's compute functions. */
        int users;
    }
}
