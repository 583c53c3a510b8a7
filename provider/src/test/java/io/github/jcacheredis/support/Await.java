package io.github.jcacheredis.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.cache.CacheException;

/** Waiting for a condition instead of sleeping, for tests of things that happen in the background. */
public final class Await {

    private Await() {
    }

    /** Returns once {@code condition} holds; fails when it does not within {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.onSpinWait();
        }
    }

    /** Like {@link #until(BooleanSupplier, Duration)}, within 15 seconds. */
    public static void until(BooleanSupplier condition) {
        until(condition, Duration.ofSeconds(15));
    }

    /** True when {@code call} completes without a CacheException (Redis answered, say). */
    public static boolean succeeds(Runnable call) {
        try {
            call.run();
            return true;
        } catch (CacheException e) {
            return false;
        }
    }
}
