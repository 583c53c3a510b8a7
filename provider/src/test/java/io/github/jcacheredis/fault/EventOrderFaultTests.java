package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.TestRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An instance that writes a key and listens to the cache, while another instance updates that key
 * the moment the first write is applied: the listener must see the events of the key in the order
 * Redis applied the writes (CREATED, then UPDATED), though the writer learns of its own write
 * from the reply and of the other's from the channel.
 */
class EventOrderFaultTests {

    private static final int KEYS = 400;

    @AutoClose
    final Instances instances = new Instances();

    @ParameterizedTest(name = "synchronous listener: {0}")
    @ValueSource(booleans = {false, true})
    void theWritersListenerSeesEachKeysEventsInTheOrderRedisAppliedThem(boolean synchronous) throws Exception {
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class);
        Cache<String, String> onA = instances.add(TestRedis.newManager(instances.namespace())).createCache("order", config);
        Cache<String, String> onB = instances.add(TestRedis.newManager(instances.namespace())).createCache("order", config);
        EventRecorder recorder = EventRecorder.register(onA, synchronous);

        CompletableFuture<Void> updater = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < KEYS; i++) {
                while (!onB.replace("k" + i, "1", "2")) {
                    Thread.onSpinWait(); // update the key the moment the other instance's put is applied
                }
            }
        });
        for (int i = 0; i < KEYS; i++) {
            onA.put("k" + i, "1");
        }
        updater.get();
        onA.put("marker", "m");

        Map<String, List<String>> byKey = new HashMap<>();
        for (String event : recorder.until("CREATED marker null->m", 30)) {
            byKey.computeIfAbsent(event.split(" ")[1], k -> new ArrayList<>()).add(event.split(" ")[0]);
        }
        List<String> outOfOrder = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            List<String> seen = byKey.get("k" + i);
            if (!List.of("CREATED", "UPDATED").equals(seen)) {
                outOfOrder.add("k" + i + " " + seen);
            }
        }
        assertEquals(0, outOfOrder.size(), outOfOrder.size() + " of " + KEYS + " keys' events arrived out of order,"
                + " e.g. " + outOfOrder.subList(0, Math.min(5, outOfOrder.size())));
    }
}
