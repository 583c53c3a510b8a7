package io.github.jcacheredis.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jcacheredis.support.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code Set.of} and {@code Map.of} iterate in an order salted per JVM, so an instance that
 * encoded them in iteration order would never find another instance's entry. Two child JVMs
 * (with salts of their own) must encode them to the bytes this JVM does.
 */
class KeyCodecsTwoJvmUnitTests {

    static final Set<String> SET = Set.of("apple", "banana", "cherry", "date", "elderberry", "fig", "grape",
            "kiwi", "lemon", "mango", "nectarine", "orange");
    static final Map<String, Integer> MAP = Map.of("apple", 1, "banana", 2, "cherry", 3, "date", 4,
            "elderberry", 5, "fig", 6, "grape", 7, "kiwi", 8);

    static KeyCodec codec() {
        return Codecs.create("c", Object.class, Object.class, CodecKind.JSON, List.of(),
                KeyCodecsTwoJvmUnitTests.class.getClassLoader()).keys();
    }

    @Test
    void setOfAndMapOfAreEncodedAlikeInJvmsThatIterateThemDifferently() throws Exception {
        KeyCodec keys = codec();
        List<String> here = List.of(keys.encode(SET), keys.encode(MAP));
        String order = "set-order=" + new ArrayList<>(SET) + "\nmap-order=" + new ArrayList<>(MAP.keySet());
        boolean anotherOrderSeen = false;
        for (int child = 0; child < 2; child++) {
            ChildJvm jvm = ChildJvm.start(List.of(), KeyEncodingChild.class);
            jvm.go();
            List<String> lines = jvm.awaitDone(60).lines().toList();
            assertEquals(here, lines.stream().filter(l -> l.startsWith("encoded=")).map(l -> l.substring(8)).toList());
            String childOrder = String.join("\n", lines.stream().filter(l -> l.contains("-order=")).toList());
            anotherOrderSeen |= !childOrder.equals(order);
        }
        assumeTrue(anotherOrderSeen, "both child JVMs happened to iterate Set.of and Map.of as this one does");
        assertEquals("#j:[\"java.util.Set\",[\"" + String.join("\",\"", SET.stream().sorted().toList()) + "\"]]",
                here.get(0));
    }
}
