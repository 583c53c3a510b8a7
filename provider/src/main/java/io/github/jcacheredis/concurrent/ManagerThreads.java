package io.github.jcacheredis.concurrent;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The background threads of one CacheManager, shut down when it closes: periodic work (Redis
 * probes, lease renewals, expiry sweeps, tracking checks), background loads ({@code loadAll}),
 * asynchronous listeners and incoming events, and the enrolment of existing entries for expiry
 * events. Threads are daemons named after their job ({@link DaemonThreads}).
 */
public final class ManagerThreads {

    private final ScheduledExecutorService scheduler =
            Executors.newScheduledThreadPool(2, DaemonThreads.factory("jcache-redis-scheduler"));
    private final ExecutorService loaders = DaemonThreads.pool("jcache-redis-loadAll");
    private final ExecutorService listeners = DaemonThreads.pool("jcache-redis-listener");
    private final ExecutorService enrolment = DaemonThreads.pool("jcache-redis-expiry-enrolment");

    /** Periodic work. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** {@code loadAll} calls, which return at once and load in the background. */
    public ExecutorService loaders() {
        return loaders;
    }

    /** Asynchronous listeners and events from other instances, each in order on a serial view of it. */
    public ExecutorService listeners() {
        return listeners;
    }

    /** Enrolment of entries written before anyone listened for expiry, apart from the sweeps. */
    public ExecutorService enrolment() {
        return enrolment;
    }

    /** Lets queued work finish and starts no more (the manager closed). */
    public void shutdown() {
        List.of(scheduler, loaders, listeners, enrolment).forEach(ExecutorService::shutdown);
    }
}
