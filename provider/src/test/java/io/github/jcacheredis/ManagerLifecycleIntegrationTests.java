package io.github.jcacheredis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.concurrent.ManagerThreads;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.RespClient;
import io.github.jcacheredis.testsupport.Stall;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.integration.CompletionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A manager's own lifecycle: creating a cache with a listener waits (up to 2 s) for the other
 * instances to confirm its registration, and meanwhile the manager's other calls must not wait
 * behind it (another instance that never confirms is a bare subscriber to the namespace's control
 * channel); and the threads a manager used end when it closes.
 */
class ManagerLifecycleIntegrationTests {

    @Test
    void getCacheAndGetCacheNamesDoNotWaitForAnotherCachesRegistration() throws Exception {
        try (RedisServer server = RedisServer.start();
             RespClient silent = server.client();
             CacheManager manager = new RedisCachingProvider().getCacheManager(
                     URI.create(server.uri() + "?namespace=locks"), getClass().getClassLoader(), new Properties())) {
            Cache<String, String> other = manager.createCache("other", config());
            silent.call("SUBSCRIBE", "locks:%control"); // hears announcements, never confirms them

            CompletableFuture<Cache<String, String>> creating = CompletableFuture.supplyAsync(() -> manager.createCache(
                    "listened", config().addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                            FactoryBuilder.factoryOf(Ignore.class), null, false, true))));
            // the registration is recorded before it is announced and confirmations are awaited
            Await.until("the registration is under way", Duration.ofSeconds(5),
                    () -> ((Long) server.call("HLEN", "locks:%listeners")) > 0, () -> "no registration");

            long start = System.nanoTime();
            assertSame(other, manager.getCache("other", String.class, String.class));
            List<String> names = new ArrayList<>();
            manager.getCacheNames().forEach(names::add);
            assertTrue(names.contains("other"));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertFalse(creating.isDone(), "the creation was still waiting for confirmations");
            assertTrue(waitedMillis < 500, "getCache waited " + waitedMillis + " ms behind another cache's creation");
            assertEquals("listened", creating.get(10, TimeUnit.SECONDS).getName());
        }
    }

    @Test
    void theThreadsOfAManagerEndWhenItCloses() throws Exception {
        ManagerThreads threads;
        try (RedisServer server = RedisServer.start()) {
            RedisCacheManager manager = (RedisCacheManager) new RedisCachingProvider().getCacheManager(
                    URI.create(server.uri() + "?namespace=threads"), getClass().getClassLoader(), new Properties());
            threads = manager.threads();
            Cache<String, String> cache = manager.createCache("c", config().addCacheEntryListenerConfiguration(
                    new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(Ignore.class), null, false,
                            false))); // an asynchronous listener
            cache.put("k", "v");
            CompletableFuture<Void> loaded = new CompletableFuture<>();
            cache.loadAll(Set.of("k"), false, new CompletionListenerFuture(loaded));
            loaded.get(10, TimeUnit.SECONDS);
            manager.close();
        }
        for (ExecutorService executor : List.of(threads.scheduler(), threads.loaders(), threads.listeners(),
                threads.enrolment())) {
            assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS), "a pool of the closed manager still runs");
        }
    }

    /**
     * A manager closed while 200 calls wait on a stalled Redis: each call ends, with a value or an
     * exception, rather than waiting for ever on a client that has shut down. Single reads (sent
     * alone or in batches), getAll, and putAll as one MSET or as a pipeline of write scripts.
     */
    @ParameterizedTest
    @CsvSource({"true, get", "false, get", "true, getAll", "true, putAll", "true, putAllScripts"})
    void callsOnTheirWayWhenTheManagerClosesEnd(boolean batching, String operation) throws Exception {
        try (RedisServer server = RedisServer.start()) {
            CacheManager manager = new RedisCachingProvider().getCacheManager(
                    URI.create(server.uri() + "?namespace=closing&batching=" + batching), getClass().getClassLoader(),
                    new Properties());
            Cache<String, String> cache = manager.createCache("c", config());
            if (operation.equals("putAllScripts")) {
                cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(Ignore.class), null, false, false)); // putAll: a pipeline of scripts
            }
            cache.put("k", "v");
            ExecutorService callers = Executors.newFixedThreadPool(200);
            try (Stall stall = server.stall(Duration.ofMillis(1500))) {
                List<Future<?>> calls = new ArrayList<>();
                AtomicInteger started = new AtomicInteger();
                for (int i = 0; i < 200; i++) {
                    calls.add(callers.submit(() -> {
                        started.incrementAndGet();
                        try {
                            switch (operation) {
                                case "get" -> {
                                    return cache.get("k");
                                }
                                case "getAll" -> {
                                    return cache.getAll(Set.of("k", "l"));
                                }
                                default -> {
                                    cache.putAll(java.util.Map.of("k", "v2", "l", "w"));
                                    return null;
                                }
                            }
                        } catch (RuntimeException e) {
                            return e.getMessage();
                        }
                    }));
                }
                Await.until("the callers are under way", Duration.ofSeconds(10), () -> started.get() == 200,
                        () -> started + " started");
                manager.close();
                for (Future<?> call : calls) {
                    call.get(30, TimeUnit.SECONDS);
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }

    /** Completes a future when loadAll is done. */
    private record CompletionListenerFuture(CompletableFuture<Void> done) implements CompletionListener {
        @Override
        public void onCompletion() {
            done.complete(null);
        }

        @Override
        public void onException(Exception e) {
            done.completeExceptionally(e);
        }
    }

    private static MutableConfiguration<String, String> config() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    /** A listener that does nothing: its registration is what the test needs. */
    public static final class Ignore implements CacheEntryCreatedListener<String, String>, Serializable {
        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
        }
    }
}
