package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key layout of {@code format=keyv}: a cache is the keyv namespace of its name. */
class KeyvLayoutUnitTests {

    @Test
    void entriesAreWhereKeyvWritesThem() {
        KeyLayout layout = KeyLayout.keyv("jcache", "products");
        assertEquals("products::products:p1", layout.entryKey("p1"));
        assertEquals("p1", layout.encodedKey("products::products:p1"));
        assertEquals("products::products:*", layout.scanPattern());
    }

    @Test
    void noTwoCachesShareAKey() {
        List<String> names = List.of("", "a", "a:", "a::a", ":a", "a:b", "a%3Ab", "%", "ab", "a*", "{a}", "ü");
        Set<String> prefixes = new HashSet<>();
        for (String name : names) {
            assertTrue(prefixes.add(KeyLayout.keyv("ns", name).prefix()), name);
        }
        for (String p : prefixes) {
            for (String q : prefixes) {
                assertFalse(!p.equals(q) && q.startsWith(p), p + " is a prefix of " + q);
            }
        }
    }

    @Test
    void shadowCopiesStayApartFromThoseOfTheDefaultLayout() {
        String keyv = KeyLayout.keyv("ns", "a").shadowKey("k");
        String standard = new KeyLayout("ns", "a").shadowKey("k");
        assertTrue(keyv.startsWith("ns:%shadow:a::a:{"), keyv);
        assertFalse(keyv.startsWith(standard.substring(0, standard.indexOf('{'))
                + "{"), keyv + " vs " + standard);
    }
}
