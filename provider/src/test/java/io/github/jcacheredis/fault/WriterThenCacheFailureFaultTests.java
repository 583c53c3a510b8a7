package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.BusyScript;
import io.github.jcacheredis.testsupport.RedisServer;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write-through cache whose CacheWriter applied a change (the system of record has it), after
 * which Redis refuses the write to the cache for longer than the call waits (BUSY: another
 * client's script past {@code lua-time-limit}): the call fails saying the writer applied the
 * change, and once Redis takes commands again the cache serves nothing from before the change,
 * so the next read goes to the system of record.
 */
class WriterThenCacheFailureFaultTests {

    private static RedisServer redis;
    private static final Map<String, String> RECORD = new ConcurrentHashMap<>();
    /** The key whose next write by the writer makes Redis busy. */
    private static volatile String busyAfter;
    private static volatile BusyScript busy;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void start() {
        redis = RedisServer.start("--lua-time-limit", "50");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"put", "remove", "invoke"})
    void aCacheWriteRefusedAfterTheWriterRanLeavesNothingFromBeforeTheChange(String write) {
        Cache<String, String> cache = instances.open(URI.create(redis.uri()), Map.of())
                .createCache("records-" + write, new MutableConfiguration<String, String>()
                        .setTypes(String.class, String.class)
                        .setWriteThrough(true).setCacheWriterFactory(FactoryBuilder.factoryOf(RecordWriter.class)));
        String key = "k-" + write;
        cache.put(key, "v0");
        busyAfter = key;
        CacheException failure;
        try {
            failure = assertThrows(CacheException.class, () -> {
                switch (write) {
                    case "put" -> cache.put(key, "v1");
                    case "remove" -> cache.remove(key);
                    default -> cache.invoke(key, (entry, args) -> {
                        entry.setValue("v1");
                        return null;
                    });
                }
            });
        } finally {
            endBusy();
        }
        assertTrue(write.equals("remove") ? !RECORD.containsKey(key) : "v1".equals(RECORD.get(key)),
                "the writer applied the " + write);
        Await.until("the cache stops serving the value from before the " + write, Duration.ofSeconds(10),
                () -> cache.get(key) == null, () -> "it serves " + cache.get(key) + "; the record holds " + RECORD.get(key));
        assertNull(redis.call("GET", instances.namespace() + ":records-" + write + ":" + key));
        assertTrue(failure.getMessage().contains("CacheWriter applied the change"), failure.getMessage());
    }

    private static void endBusy() {
        BusyScript script = busy;
        if (script != null) {
            script.close();
        }
    }

    /** The system of record: a map; its write of the armed key makes Redis busy before it returns. */
    public static final class RecordWriter implements CacheWriter<String, String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
            RECORD.put(entry.getKey(), entry.getValue());
            trip(entry.getKey());
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            entries.forEach(this::write);
            entries.clear();
        }

        @Override
        public void delete(Object key) {
            RECORD.remove(key);
            trip((String) key);
        }

        @Override
        public void deleteAll(Collection<?> keys) {
            keys.forEach(this::delete);
            keys.clear();
        }

        private static void trip(String key) {
            if (key.equals(busyAfter)) {
                busyAfter = null;
                busy = BusyScript.start(redis); // Redis answers BUSY until endBusy()
            }
        }
    }
}
