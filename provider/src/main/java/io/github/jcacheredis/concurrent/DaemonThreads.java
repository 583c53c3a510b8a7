package io.github.jcacheredis.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The provider's background threads: daemons, so that a cache never keeps an application from
 * exiting, and named, so that a thread dump says whose they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A pool that grows with demand and lets idle threads go. */
    public static ExecutorService pool(String name) {
        return Executors.newCachedThreadPool(factory(name));
    }

    public static ThreadFactory factory(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
