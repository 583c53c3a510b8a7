package io.github.jcacheredis.event;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Counts the instances that received one announcement and confirmed it. */
final class Acknowledgements {

    private int count;

    synchronized void add() {
        count++;
        notifyAll();
    }

    synchronized int count() {
        return count;
    }

    /** True once {@code expected} confirmations came; false when {@code timeout} passed first. */
    synchronized boolean await(long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
