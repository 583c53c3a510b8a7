package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.BusyScript;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.SlowLog;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bulk write's pipeline of write scripts sent to a server that has lost its scripts (a restart,
 * a failover: the script cache is not replicated) is answered NOSCRIPT for each, and each is
 * repeated alone once the script is loaded. When a repeat is refused after another has run, the
 * pipeline ran partway: it must fail saying so, never be sent again whole, which would run the
 * writes that ran a second time.
 */
class BulkScriptReloadFaultTests {

    private static final Duration HOLD = Duration.ofSeconds(10);
    private static RedisServer redis;
    private static TcpProxy proxy;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void start() {
        redis = RedisServer.start("--lua-time-limit", "50");
        proxy = TcpProxy.inFrontOf(redis);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        redis.close();
    }

    @Test
    void aPutAllWhoseRepeatedScriptIsRefusedRunsEachWriteOnceAndSaysItRanPartway() throws Exception {
        Cache<String, String> cache = instances.open(URI.create(proxy.uri()), Map.of("timeout", "10000"))
                .createCache("reload", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        EventRecorder.register(cache, true); // with a listener, putAll is a pipeline of write scripts
        cache.put("warm", "up");
        String first = instances.namespace() + ":reload:first";
        SlowLog.keepEveryCommand(redis);
        redis.call("SCRIPT", "FLUSH"); // as after a restart or a failover

        TcpProxy.Hold load = proxy.holdReply("One conditional write of one entry"); // SCRIPT LOAD of mutate.lua
        Map<String, String> values = new LinkedHashMap<>();
        values.put("first", "1");
        values.put("second", "2");
        CompletableFuture<Void> putAll = CompletableFuture.runAsync(() -> cache.putAll(values));
        load.awaitHeld(HOLD); // both scripts of the pipeline met NOSCRIPT; the first repeat loads the script
        TcpProxy.Hold firstRepeat = proxy.holdReply(first);
        load.release();
        firstRepeat.awaitHeld(HOLD); // the first entry's repeat ran; its reply waits in the proxy

        TcpProxy.Hold sentAgain;
        try (BusyScript busy = BusyScript.start(redis)) {
            // the second repeat meets BUSY; a pipeline sent again whole would be held here until BUSY ends
            sentAgain = proxy.holdRequest(first);
            firstRepeat.release();
            until(() -> putAll.isDone() || sentAgain.isHolding(), HOLD);
        }
        sentAgain.release();

        Throwable outcome = null;
        try {
            putAll.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            outcome = e.getCause();
        }
        assertEquals(1, SlowLog.setsRun(redis, first), "the first entry's write ran once; putAll "
                + (outcome == null ? "returned normally" : "failed: " + outcome));
        assertTrue(outcome instanceof CacheException && outcome.getMessage().contains("1 of the 2 commands"),
                "putAll says it ran partway: " + outcome);
        assertEquals("1", cache.get("first"));
    }
}
