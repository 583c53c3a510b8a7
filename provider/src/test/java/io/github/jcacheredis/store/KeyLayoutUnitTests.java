package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyLayoutUnitTests {

    @Test
    void plainNamesAreReadableInRedis() {
        KeyLayout layout = new KeyLayout("myapp", "products");
        assertEquals("myapp:products:42", layout.entryKey("42"));
        assertEquals("42", layout.encodedKey("myapp:products:42"));
        assertEquals("myapp:products:*", layout.scanPattern());
    }

    @Test
    void separatorsAndHashTagsInNamesAreEncoded() {
        KeyLayout layout = new KeyLayout("a:b", "c{d}%");
        assertEquals("a%3Ab:c%7Bd%7D%25:k", layout.entryKey("k"));
    }

    @Test
    void noTwoNamespaceAndCachePairsShareAPrefix() {
        List<String> names = List.of("", "a", "a:b", "b", "a%3Ab", "%", ":", "a:", ":b", "ab", "a*", "{a}", "a b", "ü");
        Set<String> prefixes = new HashSet<>();
        for (String namespace : names) {
            for (String cache : names) {
                assertTrue(prefixes.add(new KeyLayout(namespace, cache).prefix()),
                        "prefix of (" + namespace + ", " + cache + ") collides");
            }
        }
        // and no prefix is a prefix of another, so no entry key of one cache is another's
        for (String p : prefixes) {
            for (String q : prefixes) {
                if (!p.equals(q)) {
                    assertFalse(q.startsWith(p), p + " is a prefix of " + q);
                }
            }
        }
    }

    @Test
    void scanPatternMatchesOnlyTheCachesOwnKeys() {
        KeyLayout star = new KeyLayout("ns", "a*");
        KeyLayout bracket = new KeyLayout("ns", "[a]?\\");
        assertEquals("ns:a\\*:*", star.scanPattern());
        assertEquals("ns:\\[a\\]\\?\\\\:*", bracket.scanPattern());
        // Redis glob semantics match Java's glob for these characters once escaped
        assertTrue(globMatches(star.scanPattern(), "ns:a*:1"));
        assertFalse(globMatches(star.scanPattern(), "ns:ab:1"));
        assertTrue(globMatches(bracket.scanPattern(), "ns:[a]?\\:k"));
        assertFalse(globMatches(bracket.scanPattern(), "ns:ax\\:k"));
    }

    @Test
    void aKeyOfAnotherCacheIsRefused() {
        KeyLayout layout = new KeyLayout("ns", "a");
        assertThrows(IllegalArgumentException.class, () -> layout.encodedKey("ns:ab:1"));
        assertNotEquals(layout.prefix(), new KeyLayout("ns", "a:b").prefix());
    }

    private static boolean globMatches(String pattern, String text) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace("/", ""));
        return matcher.matches(Path.of(text));
    }
}
