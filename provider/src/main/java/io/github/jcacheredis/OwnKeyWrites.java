package io.github.jcacheredis;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Which keys of one cache the current thread is running an entry processor for, so that a write
 * the processor makes to its own key through the cache (a value loader that ends in a
 * {@code @CachePut} of the same key, say) is noticed: the processor's change then conflicts with
 * its own write, and running it again on the new value is right once, but not forever.
 */
final class OwnKeyWrites {

    /** One running processor: its key, and whether it wrote that key through the cache. */
    static final class Frame {
        final String encodedKey;
        boolean wroteOwnKey;

        Frame(String encodedKey) {
            this.encodedKey = encodedKey;
        }
    }

    /** The running processors of this thread; null (no entry at all) while none runs, the common case. */
    private final ThreadLocal<Deque<Frame>> frames = new ThreadLocal<>();

    /** Marks the start of a processor run for {@code encodedKey} on this thread. */
    Frame enter(String encodedKey) {
        Frame frame = new Frame(encodedKey);
        Deque<Frame> stack = frames.get();
        if (stack == null) {
            stack = new ArrayDeque<>();
            frames.set(stack);
        }
        stack.push(frame);
        return frame;
    }

    void exit(Frame frame) {
        Deque<Frame> stack = frames.get();
        if (stack == null) {
            return;
        }
        stack.remove(frame);
        if (stack.isEmpty()) {
            frames.remove();
        }
    }

    /**
     * Called before every write of {@code encodedKey}: notes it when a processor of that key runs
     * here. Outside processors it only looks the thread's entry up: it creates and removes nothing.
     */
    void writing(String encodedKey) {
        Deque<Frame> stack = frames.get();
        if (stack == null) {
            return;
        }
        for (Frame frame : stack) {
            if (frame.encodedKey.equals(encodedKey)) {
                frame.wroteOwnKey = true;
            }
        }
    }
}
