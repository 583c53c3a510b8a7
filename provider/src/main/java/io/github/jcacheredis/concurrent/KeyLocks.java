package io.github.jcacheredis.concurrent;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key, local to one JVM, held only while some thread holds or waits for it: no two
 * different keys ever share a lock, so a thread holding one key's lock can wait on any other key
 * without deadlocking through an unrelated stripe. They let only one thread of this instance run
 * an entry processor for a key at a time (so a value loader behind {@code invoke} runs once per
 * instance and threads do not make each other retry); across instances the compare-and-set or
 * the write lease decides, so no lock here ever spans processes.
 */
public final class KeyLocks {

    private final ConcurrentHashMap<String, Lock> locks = new ConcurrentHashMap<>();

    /** Waits for the lock of {@code key} and holds it until the returned handle is closed. */
    public Held lock(String key) {
        Lock lock = locks.compute(key, (k, current) -> {
            Lock held = current == null ? new Lock() : current;
            held.users++;
            return held;
        });
        lock.lock.lock();
        return () -> {
            lock.lock.unlock();
            locks.computeIfPresent(key, (k, current) -> --current.users == 0 ? null : current);
        };
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
