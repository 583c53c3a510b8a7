package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.fault.StalledWriteFaultTests.Decrement;
import io.github.jcacheredis.fault.StalledWriteFaultTests.Increment;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.SlowLog;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The connection of a write sent alone is lost after Redis ran it, its reply held in a proxy and
 * the connection cut. What the server received and ran is read from its slow log.
 */
class LostReplyFaultTests {

    private static RedisServer redis;
    private static TcpProxy proxy;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        SlowLog.keepEveryCommand(redis);
        proxy = TcpProxy.inFrontOf(redis);
    }

    @AfterAll
    static void stopRedis() {
        proxy.close();
        redis.close();
    }

    /**
     * A write sent alone (the only call of its lane, or with batching off) whose connection is lost
     * after Redis ran it: the client reports a response timeout, and the write must not be sent
     * again on a new connection. It says its outcome is unknown, reached Redis once and ran once.
     */
    @ParameterizedTest(name = "{0}, batching {1}")
    @CsvSource({"put, true", "put, false", "increment, true", "increment, false"})
    void aLoneWriteWhoseConnectionIsLostAfterItRanRunsOnceOfUnknownOutcome(String write, boolean batching) {
        Map<String, String> settings = Map.of("timeout", "1000", "batching", String.valueOf(batching));
        String name = "lone-" + write + "-" + batching;
        String key = instances.namespace() + ":" + name + ":w";
        Cache<String, Long> direct = instances.open(URI.create(redis.uri()), settings).createCache(name, config());
        Cache<String, Long> behindProxy = instances.open(URI.create(proxy.uri()), settings).createCache(name, config());
        behindProxy.put("w", 0L);
        behindProxy.invoke("w", new Increment()); // remembered: the next increment writes at once
        behindProxy.invoke("w", new Decrement());
        redis.call("SLOWLOG", "RESET");

        TcpProxy.Hold reply = proxy.holdReply(key);
        CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return write.equals("put") ? behindProxy.getAndPut("w", 1L) : behindProxy.invoke("w", new Increment());
            } catch (CacheException e) {
                return e;
            }
        });
        try {
            reply.awaitHeld(Duration.ofSeconds(5)); // Redis ran it and replied; the reply waits in the proxy
            assertTrue(proxy.cut(key) >= 1, "the write's connection");
        } finally {
            reply.release();
        }
        Object result = outcome.join();
        assertAll(key,
                () -> assertTrue(result instanceof CacheException failure && failure.getMessage().contains("is unknown"),
                        "a write whose reply was lost: " + result),
                () -> assertEquals(1, SlowLog.timesReceived(redis, key), "the write reached Redis once; it was never sent again"),
                () -> assertEquals(1, SlowLog.setsRun(redis, key), "its SET ran once"),
                () -> assertEquals(1L, direct.get("w"), "the write ran once"));
    }

    private static MutableConfiguration<String, Long> config() {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class);
    }
}
