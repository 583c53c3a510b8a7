package io.github.jcacheredis.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition on servers the harness started, polling every 20 ms. A condition that
 * throws counts as not met yet (a node that is restarting, a connection refused), and the last such
 * error is attached to the failure.
 */
public final class Await {

    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Returns once {@code condition} holds; throws {@link IllegalStateException} naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}, adding {@code state} to the failure message. */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                lastError = notYet;
            }
            if (System.nanoTime() > deadline) {
                IllegalStateException failure = new IllegalStateException(
                        "timed out after " + timeout + " waiting until " + what + describe(state));
                if (lastError != null) {
                    failure.addSuppressed(lastError);
                }
                throw failure;
            }
            pause();
        }
    }

    private static String describe(Supplier<String> state) {
        try {
            String text = state.get();
            return text == null || text.isEmpty() ? "" : "; state: " + text;
        } catch (RuntimeException e) {
            return "; state unavailable: " + e;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
