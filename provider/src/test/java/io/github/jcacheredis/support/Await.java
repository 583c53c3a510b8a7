package io.github.jcacheredis.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.cache.CacheException;

/**
 * Waiting for a condition instead of sleeping, for tests of things that happen in the background
 * (the harness's {@link io.github.jcacheredis.testsupport.Await} with the provider tests' defaults).
 */
public final class Await {

    private Await() {
    }

    /** Returns once {@code condition} holds; fails when it does not within {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout) {
        io.github.jcacheredis.testsupport.Await.until("the condition holds", timeout, condition);
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
