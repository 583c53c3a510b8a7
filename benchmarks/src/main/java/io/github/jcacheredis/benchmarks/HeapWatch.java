package io.github.jcacheredis.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches the client's heap during one operation. What an operation keeps alive shows in the heap
 * left after each garbage collection that runs meanwhile: {@link Result#maxLiveBytes} is the most
 * of those, so a bounded iterator stays near the baseline while one that holds every entry grows
 * with the cache. {@link Result#allocatedBytes} is everything allocated, garbage included.
 */
final class HeapWatch {

    /** The heap's pools; a collection also reports metaspace and code caches, which are not heap. */
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final long baseline;
    private final long allocatedBefore;
    private final AtomicLong maxLive = new AtomicLong();
    private final AtomicInteger collections = new AtomicInteger();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onCollection;

    private HeapWatch() {
        System.gc();
        this.baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        this.maxLive.set(baseline);
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        this.allocatedBefore = allocatedByAllThreads();
    }

    /** Collects garbage, notes the heap in use, and starts watching. */
    static HeapWatch start() {
        return new HeapWatch();
    }

    Result stop() {
        long allocated = allocatedByAllThreads() - allocatedBefore;
        // collection notifications arrive on a JMX thread, a little after the collection
        sleep(200);
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // never registered: nothing to remove
            }
        }
        return new Result(baseline, maxLive.get(), collections.get(), allocated);
    }

    private void onCollection(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> heapPools.contains(pool.getKey())).mapToLong(pool -> pool.getValue().getUsed()).sum();
        collections.incrementAndGet();
        maxLive.accumulateAndGet(used, Math::max);
    }

    private static long allocatedByAllThreads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param baselineBytes  heap in use after a collection just before the operation
     * @param maxLiveBytes   the most heap in use after any collection during it (the baseline if none ran)
     * @param collections    how many collections ran
     * @param allocatedBytes bytes allocated by all threads meanwhile
     */
    record Result(long baselineBytes, long maxLiveBytes, int collections, long allocatedBytes) {

        /** What the operation kept alive beyond the baseline, at most. */
        long growthBytes() {
            return Math.max(0, maxLiveBytes - baselineBytes);
        }
    }
}
