package io.github.jcacheredis.processor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.processor.EntryProcessor;

/**
 * The concurrent workloads of the two-JVM tests, run the same way by the test JVM and by the
 * child JVM: increments through invoke, and a mix of invoke/getAndPut/getAndRemove that moves
 * unique tokens around without ever creating or dropping one.
 */
final class ConcurrentWorkload {

    static final String COUNTER = "counter";
    static final int BAG_KEYS = 8;

    private ConcurrentWorkload() {
    }

    /** Increments {@link #COUNTER} {@code times} times from each of {@code threads} threads. */
    static void increment(Cache<String, Long> cache, int threads, int times) throws Exception {
        runThreads(threads, thread -> {
            for (int i = 0; i < times; i++) {
                cache.invoke(COUNTER, new Increment());
            }
            return List.of();
        });
    }

    /**
     * Each thread mints {@code operations} tokens and, for each, either adds it to a random bag
     * with invoke, or swaps a random bag for a new one holding it (getAndPut), or takes a random
     * bag away (getAndRemove) and then adds the token with invoke. Returns every token taken out
     * of the cache; the caller compares with those minted.
     */
    static List<String> moveTokens(Cache<String, TokenBag> cache, String jvm, int threads, int operations)
            throws Exception {
        return runThreads(threads, thread -> {
            List<String> harvested = new ArrayList<>();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < operations; i++) {
                String token = jvm + "-" + thread + "-" + i;
                String key = "bag" + random.nextInt(BAG_KEYS);
                switch (random.nextInt(3)) {
                    case 0 -> cache.invoke(key, new AddToken(), token);
                    case 1 -> harvest(harvested, cache.getAndPut(key, new TokenBag(List.of(token))));
                    default -> {
                        harvest(harvested, cache.getAndRemove(key));
                        cache.invoke(key, new AddToken(), token);
                    }
                }
            }
            return harvested;
        });
    }

    static void harvest(List<String> harvested, TokenBag bag) {
        if (bag != null) {
            harvested.addAll(bag.tokens());
        }
    }

    private interface Worker {
        List<String> run(int thread) throws Exception;
    }

    private static List<String> runThreads(int threads, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> worker.run(thread)));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> future : futures) {
                all.addAll(future.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    static final class Increment implements EntryProcessor<String, Long, Void>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Void process(javax.cache.processor.MutableEntry<String, Long> entry, Object... arguments) {
            Long value = entry.getValue();
            entry.setValue(value == null ? 1L : value + 1);
            return null;
        }
    }

    static final class AddToken implements EntryProcessor<String, TokenBag, Void>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Void process(javax.cache.processor.MutableEntry<String, TokenBag> entry, Object... arguments) {
            TokenBag bag = entry.getValue();
            String token = (String) arguments[0];
            entry.setValue(bag == null ? new TokenBag(List.of(token)) : bag.with(token));
            return null;
        }
    }
}
