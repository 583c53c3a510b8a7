package io.github.jcacheredis.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.TestRedis;
import java.io.Closeable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CompletionListener;
import org.junit.jupiter.api.Test;

/**
 * A cache closed or destroyed while a loadAll runs in the background waits for it before closing
 * its loader: the loader is never used after close, and a closed cache accepts no new loadAll.
 */
class LoadAllOnCloseIntegrationTests {

    @Test
    void closeWaitsForALoadInFlightBeforeClosingTheLoader() throws Exception {
        runWhileALoadIsInFlight((manager, cache) -> cache.close());
    }

    @Test
    void destroyCacheWaitsForALoadInFlightBeforeClosingTheLoader() throws Exception {
        runWhileALoadIsInFlight((manager, cache) -> manager.destroyCache(cache.getName()));
    }

    @Test
    void aCompletionListenerThatClosesTheCacheDoesNotWaitForItsOwnLoad() throws Exception {
        BlockingLoader loader = new BlockingLoader();
        loader.release.countDown();
        try (CacheManager manager = TestRedis.newManager(TestRedis.uniqueNamespace())) {
            Cache<String, String> cache = manager.createCache("self-closing", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class)
                    .setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(loader)));
            CompletableFuture<Void> closedByListener = new CompletableFuture<>();
            cache.loadAll(Set.of("a"), false, new CompletionListener() {
                @Override
                public void onCompletion() {
                    cache.close();
                    closedByListener.complete(null);
                }

                @Override
                public void onException(Exception e) {
                    closedByListener.completeExceptionally(e);
                }
            });
            closedByListener.get(2, TimeUnit.SECONDS); // closing would otherwise wait 10 s for this very load
            assertTrue(cache.isClosed());
            assertTrue(loader.closed.await(0, TimeUnit.SECONDS));
        }
    }

    private static void runWhileALoadIsInFlight(BiConsumer<CacheManager, Cache<String, String>> closing) throws Exception {
        BlockingLoader loader = new BlockingLoader();
        try (CacheManager manager = TestRedis.newManager(TestRedis.uniqueNamespace())) {
            Cache<String, String> cache = manager.createCache("loaded", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class)
                    .setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(loader)));
            cache.loadAll(Set.of("a", "b"), false, null);
            assertTrue(loader.started.await(5, TimeUnit.SECONDS), "the load started");

            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> closing.accept(manager, cache));
            assertFalse(loader.closed.await(300, TimeUnit.MILLISECONDS), "the loader is not closed while it loads");
            assertFalse(closed.isDone(), "closing waits for the load");

            loader.release.countDown();
            closed.get(5, TimeUnit.SECONDS);
            assertTrue(loader.closed.await(0, TimeUnit.SECONDS), "the loader was closed once the load returned");
            assertFalse(loader.usedAfterClose.get(), "the loader was not used after it was closed");
            assertEquals(IllegalStateException.class,
                    assertThrows(IllegalStateException.class, () -> cache.loadAll(Set.of("c"), false, null)).getClass());
        }
    }

    /** Blocks in loadAll until released; records whether it was called after close(). */
    static final class BlockingLoader implements CacheLoader<String, String>, Closeable {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicBoolean usedAfterClose = new AtomicBoolean();

        @Override
        public String load(String key) {
            usedAfterClose.compareAndSet(false, closed.getCount() == 0);
            return "loaded " + key;
        }

        @Override
        public Map<String, String> loadAll(Iterable<? extends String> keys) {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            usedAfterClose.compareAndSet(false, closed.getCount() == 0);
            Map<String, String> values = new HashMap<>();
            keys.forEach(key -> values.put(key, "loaded " + key));
            return values;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
