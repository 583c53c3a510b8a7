package io.github.jcacheredis.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * An entry processor on a key this instance processed before runs on the value it saw then and
 * goes straight to the compare-and-set: one round trip per invoke, as a put. Counted by the
 * server on a server of the test's own, so that nothing else adds to the counts.
 */
class InvokeRoundTripsIntegrationTests {

    /** A command's calls, less those refused or failed (an EVALSHA answered NOSCRIPT is sent again). */
    private static final Pattern CALLS = Pattern.compile(
            "cmdstat_(\\w+):calls=(\\d+)[^\\r\\n]*?(?:rejected_calls=(\\d+),failed_calls=(\\d+))?\\r?$",
            Pattern.MULTILINE);

    @Test
    void anInvokeOnARememberedValueIsOneScriptCallAndNoSeparateRead() {
        try (RedisServer server = RedisServer.start();
             CacheManager manager = new RedisCachingProvider().getCacheManager(
                     URI.create(server.uri() + "?namespace=trips"), getClass().getClassLoader(), new Properties())) {
            Cache<String, Long> counters = manager.createCache("counters",
                    new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
            counters.put("c", 0L);
            counters.invoke("c", new ConcurrentWorkload.Increment()); // reads once, then remembers
            Map<String, Long> before = calls(server);

            for (int i = 0; i < 100; i++) {
                counters.invoke("c", new ConcurrentWorkload.Increment());
            }

            Map<String, Long> after = calls(server);
            assertEquals(100, entryScripts(before, after), "one compare-and-set script per invoke");
            // commands a script runs count too: its one GET of the entry is the only read
            assertEquals(100, delta(before, after, "get"), "no GET besides the script's own");
            assertEquals(101L, counters.get("c"));

            server.call("SET", "trips:counters:c", "500"); // written elsewhere: the remembered value is stale
            before = calls(server);
            Long result = counters.invoke("c", (entry, args) -> {
                entry.setValue(entry.getValue() + 1);
                return entry.getValue();
            });
            assertEquals(501L, result, "the stale start is corrected by the failed compare-and-set");
            assertEquals(2, entryScripts(before, calls(server)), "one failed and one applied compare-and-set");
        }
    }

    private static Map<String, Long> calls(RedisServer server) {
        Object info = server.call("INFO", "commandstats");
        String text = info instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(info);
        Map<String, Long> calls = new HashMap<>();
        Matcher m = CALLS.matcher(text);
        while (m.find()) {
            long refused = m.group(3) == null ? 0 : Long.parseLong(m.group(3)) + Long.parseLong(m.group(4));
            calls.put(m.group(1), Long.parseLong(m.group(2)) - refused);
        }
        return calls;
    }

    /**
     * Script calls on entries: every script call that ran, less the background reads of the
     * listener registry (one when the cache is created, then one every few seconds: the only script
     * that runs HGETALL, once per call).
     */
    private static long entryScripts(Map<String, Long> before, Map<String, Long> after) {
        return delta(before, after, "evalsha") - delta(before, after, "hgetall");
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }
}
