package io.github.jcacheredis.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Lists, sets and maps in keys are encoded by content, as their {@code equals()} compares them:
 * no implementation class, lists in order, set elements and map entries sorted by their encoded
 * form, so equal keys are one Redis key in every JVM, and a key read back is equal to the key put.
 */
class KeyCodecsCanonicalUnitTests {

    private static final ClassLoader LOADER = KeyCodecsCanonicalUnitTests.class.getClassLoader();

    private static final List<String> FRUIT = List.of("apple", "banana", "cherry", "date", "elderberry", "fig", "grape");

    private final KeyCodec keys = Codecs.create("c", Object.class, Object.class, CodecKind.JSON,
            List.of(KeyCodecsCanonicalUnitTests.class.getPackageName()), LOADER).keys();

    @Test
    void equalListsOfEveryJdkKindAreOneKeyInTheirOrder() {
        String expected = "#j:[\"java.util.List\",[\"a\",\"b\"]]";
        List<List<String>> equalLists = List.of(List.of("a", "b"), new ArrayList<>(List.of("a", "b")),
                new LinkedList<>(List.of("a", "b")), Arrays.asList("a", "b"), new CopyOnWriteArrayList<>(List.of("a", "b")),
                Collections.unmodifiableList(new ArrayList<>(List.of("a", "b"))), List.of("x", "a", "b").subList(1, 3));
        assertOneKeyReadBackAs(ArrayList.class, expected, equalLists);
        assertNotEquals(expected, keys.encode(List.of("b", "a")));
    }

    /** HashSet's order depends on its capacity and insertion history, LinkedHashSet's on insertion. */
    @Test
    void equalSetsAreOneKeyWhateverOrderTheyIterateIn() {
        Set<String> small = new HashSet<>(2);
        FRUIT.forEach(small::add);
        Set<String> large = new HashSet<>(1024);
        reversed(FRUIT).forEach(large::add);
        assertNotEquals(new ArrayList<>(small), new ArrayList<>(large), "precondition: the two HashSets iterate differently");

        String expected = "#j:[\"java.util.Set\",[\"apple\",\"banana\",\"cherry\",\"date\",\"elderberry\",\"fig\",\"grape\"]]";
        List<Set<String>> equalSets = List.of(small, large, new LinkedHashSet<>(reversed(FRUIT)), new TreeSet<>(FRUIT),
                Set.copyOf(FRUIT), Set.copyOf(reversed(FRUIT)), Collections.unmodifiableSet(large),
                new CopyOnWriteArraySet<>(reversed(FRUIT)), new ConcurrentSkipListSet<>(FRUIT));
        assertOneKeyReadBackAs(HashSet.class, expected, equalSets);
    }

    @Test
    void setElementsAreSortedByTheirEncodedFormNotByValue() {
        assertEquals("#j:[\"java.util.Set\",[10,9]]", keys.encode(Set.of(9, 10)));
        assertEquals("#j:[\"java.util.Set\",[\"1\",1,[\"java.lang.Long\",1]]]", keys.encode(Set.of("1", 1L, 1)));
    }

    @Test
    void equalMapsAreOneKeyOfEntryPairsSortedByTheirEncodedForm() {
        String expected = "#j:[\"java.util.Map\",[[\"a\",1],[\"b\",2]]]";
        Map<String, Integer> hash = new HashMap<>();
        hash.put("b", 2);
        hash.put("a", 1);
        Map<String, Integer> linked = new LinkedHashMap<>(hash);
        List<Map<String, Integer>> equalMaps = List.of(Map.of("a", 1, "b", 2), Map.of("b", 2, "a", 1), hash, linked,
                new TreeMap<>(hash), reverseSorted(hash),
                new ConcurrentHashMap<>(hash), new Hashtable<>(hash), Collections.unmodifiableMap(linked));
        assertOneKeyReadBackAs(LinkedHashMap.class, expected, equalMaps);
    }

    @Test
    void mapKeysKeepTheirTypeAndComeBackEqual() {
        Map<Object, String> nulls = new HashMap<>();
        nulls.put(null, "no key");
        nulls.put("k", null);
        List<Map<?, ?>> maps = List.of(Map.of(1, "a"), Map.of(1L, "a"), Map.of("1", "a"), Map.of('1', "a"),
                Map.of(List.of(1, 2), Set.of("x")), Map.of(Map.of(1, 2), 3L), nulls);
        Set<String> encoded = new HashSet<>();
        for (Map<?, ?> map : maps) {
            String encodedKey = keys.encode(map);
            encoded.add(encodedKey);
            Map<?, ?> back = (Map<?, ?>) keys.decode(encodedKey);
            assertEquals(map, back, encodedKey);
            assertEquals(kinds(map.keySet()), kinds(back.keySet()), encodedKey);
        }
        assertEquals(maps.size(), encoded.size());
        assertEquals("#j:[\"java.util.Map\",[[[\"java.lang.Long\",1],\"a\"]]]", keys.encode(Map.of(1L, "a")));
        assertEquals("#j:[\"java.util.Map\",[[1,\"y\"],[2,\"x\"]]]", keys.encode(Map.of(2, "x", 1, "y")));
    }

    @Test
    void oneAndOneLongAndOneStringStayDistinctInsideCollections() {
        List<Object> samples = List.of(List.of(1), List.of(1L), List.of("1"), List.of((short) 1), List.of(1.0d),
                Set.of(1), Set.of(1L), Set.of("1"), Map.of("k", 1), Map.of("k", 1L), Map.of("k", "1"),
                List.of(), Set.of(), Map.of(), List.of(List.of()), List.of(Set.of()));
        Set<String> encoded = new HashSet<>();
        for (Object key : samples) {
            String encodedKey = keys.encode(key);
            encoded.add(encodedKey);
            Object back = keys.decode(encodedKey);
            assertEquals(key, back, encodedKey);
            assertElementTypesEqual(key, back);
        }
        assertEquals(samples.size(), encoded.size());
    }

    @Test
    void collectionsNestedInRecordsAndObjectFieldsAreCanonicalToo() {
        Shelf a = new Shelf("s", List.of("x", "y"), new HashSet<>(FRUIT), new HashMap<>(Map.of(2, "two", 1, "one")),
                new ArrayList<>(List.of(1L, 2L)), Set.of(List.of("p")), Set.of("it"));
        Shelf b = new Shelf("s", new LinkedList<>(List.of("x", "y")), new TreeSet<>(reversed(FRUIT)),
                new TreeMap<>(Map.of(1, "one", 2, "two")), List.of(1L, 2L), new HashSet<>(List.of(new ArrayList<>(List.of("p")))),
                new TreeSet<>(List.of("it")));
        assertEquals(a, b, "precondition: equal records");

        String encodedKey = keys.encode(a);
        assertEquals(encodedKey, keys.encode(b));
        assertEquals("#j:{\"@class\":\"" + Shelf.class.getName() + "\","
                + "\"any\":[\"java.util.Set\",[[\"java.util.List\",[\"p\"]]]],"
                + "\"bag\":[\"java.util.List\",[1,2]],"
                + "\"iterable\":[\"java.util.Set\",[\"it\"]],"
                + "\"name\":\"s\",\"names\":[\"java.util.List\",[\"x\",\"y\"]],"
                + "\"numbers\":[\"java.util.Map\",[[1,\"one\"],[2,\"two\"]]],"
                + "\"tags\":[\"java.util.Set\",[\"apple\",\"banana\",\"cherry\",\"date\",\"elderberry\",\"fig\",\"grape\"]]}",
                encodedKey);
        assertOnlyInterfaceIds(encodedKey);
        assertEquals(a, keys.decode(encodedKey));
    }

    @Test
    void fieldsDeclaredWithAnImplementationClassComeBackAsThatClass() {
        Concrete key = new Concrete(new ArrayList<>(List.of("b", "a")), new TreeSet<>(List.of("y", "x")),
                new HashMap<>(Map.of(1, "one")), new TreeMap<>(Map.of("k", 2L)), new TreeSet<>(Set.of(3, 1)));
        String encodedKey = keys.encode(key);
        assertOnlyInterfaceIds(encodedKey);
        Concrete back = (Concrete) keys.decode(encodedKey);
        assertEquals(key, back);
        assertInstanceOf(ArrayList.class, back.list());
        assertInstanceOf(TreeSet.class, back.sorted());
        assertInstanceOf(HashMap.class, back.hash());
        assertInstanceOf(TreeMap.class, back.sortedMap());
        assertInstanceOf(TreeSet.class, back.sortedSet());
    }

    /** What iteration and removeAll() rely on: a key read back from Redis is written to the same key. */
    @Test
    void encodingADecodedKeyGivesTheSameEncodedKey() {
        List<Object> samples = List.of(List.of("a", "b"), Set.of("x", "y", "z"), Map.of(1, "a", 2, "b"),
                new LinkedHashSet<>(List.of(List.of(1L, 2L), List.of(3L))), Arrays.asList("a", null),
                new Shelf("s", List.of(), Set.of(), Map.of(), List.of(), List.of(), List.of()));
        for (Object key : samples) {
            String encodedKey = keys.encode(key);
            Object back = keys.decode(encodedKey);
            assertEquals(key, back, encodedKey);
            assertEquals(encodedKey, keys.encode(back));
        }
    }

    /**
     * A sorted set or map is written by its elements, never its comparator, and comes back without
     * it. With a comparator consistent with equals() that is exact; with one that is not, equal sets
     * may hold different elements, and those are different keys.
     */
    @Test
    void sortedSetsAndMapsAreEncodedByTheirElementsNotTheirComparator() {
        SortedSet<String> reverse = new TreeSet<>(Comparator.reverseOrder());
        reverse.addAll(List.of("a", "b"));
        assertEquals(keys.encode(Set.of("a", "b")), keys.encode(reverse));
        assertEquals(reverse, keys.decode(keys.encode(reverse)));
        SortedMap<String, Integer> reverseMap = new TreeMap<>(Comparator.reverseOrder());
        reverseMap.putAll(Map.of("a", 1, "b", 2));
        assertEquals(keys.encode(Map.of("a", 1, "b", 2)), keys.encode(reverseMap));

        SortedSet<String> upper = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        upper.add("A");
        SortedSet<String> lower = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        lower.add("a");
        assertEquals(upper, lower, "precondition: equal by their comparator");
        assertNotEquals(keys.encode(upper), keys.encode(lower));
        assertEquals(upper, keys.decode(keys.encode(upper)));
    }

    @Test
    void cachedHashCodesAreLeftOutInsideCollectionsToo() {
        String here = keys.encode(Set.of(new KeyCodecsUnitTests.HashedKey("books", 7)));
        String elsewhere = keys.encode(Set.of(new KeyCodecsUnitTests.HashedKey("books", 1_234_567)));
        assertEquals(here, elsewhere);
        assertFalse(here.contains("hashCode"), here);
    }

    @Test
    void theAllowlistStillGuardsClassesInsideCollections() {
        CodecException refused = assertThrows(CodecException.class,
                () -> keys.decode("#j:[\"java.util.List\",[[\"java.lang.ProcessBuilder\",{}]]]"));
        assertTrue(refused.getMessage().startsWith("Cache[c] cannot decode the encoded key"), refused.getMessage());
        assertTrue(refused.getMessage().contains("as a key of type java.lang.Object"), refused.getMessage());
        assertThrows(CodecException.class,
                () -> keys.decode("#j:[\"java.util.Map\",[[[\"java.lang.ProcessBuilder\",{}],1]]]"));
    }

    /** Keys put before collections were canonical are still read back (iteration, events, removeAll). */
    @Test
    void keysInTheEarlierFormAreStillRead() {
        assertEquals(List.of("a", "b"), keys.decode("#j:[\"java.util.ImmutableCollections$List12\",[\"a\",\"b\"]]"));
        assertEquals(Set.of("a", "b"), keys.decode("#j:[\"java.util.HashSet\",[\"b\",\"a\"]]"));
        assertEquals(Map.of("x", 1), keys.decode("#j:{\"@class\":\"java.util.ImmutableCollections$Map1\",\"x\":1}"));
        assertEquals(Map.of("x", 1L), keys.decode("#j:{\"@class\":\"java.util.HashMap\",\"x\":[\"java.lang.Long\",1]}"));
    }

    @Test
    void otherCollectionsKeepTheGeneralContractOfEqualSerializedForm() {
        assertEquals("#j:[\"java.util.ArrayDeque\",[\"a\",\"b\"]]", keys.encode(new java.util.ArrayDeque<>(List.of("a", "b"))));
    }

    /** Each of {@code equalKeys} encodes to {@code expected}, which decodes to an equal {@code decodedClass}. */
    private void assertOneKeyReadBackAs(Class<?> decodedClass, String expected, List<?> equalKeys) {
        for (Object key : equalKeys) {
            assertEquals(expected, keys.encode(key), key.getClass().getName());
        }
        Object back = keys.decode(expected);
        assertInstanceOf(decodedClass, back);
        assertEquals(equalKeys.get(0), back);
    }

    private static void assertOnlyInterfaceIds(String encodedKey) {
        Matcher ids = Pattern.compile("java\\.util\\.[\\w$.]+").matcher(encodedKey);
        while (ids.find()) {
            assertTrue(Set.of("java.util.List", "java.util.Set", "java.util.Map").contains(ids.group()), encodedKey);
        }
    }

    private static void assertElementTypesEqual(Object key, Object back) {
        Collection<?> put = key instanceof Map<?, ?> map ? map.values() : (Collection<?>) key;
        Collection<?> read = back instanceof Map<?, ?> map ? map.values() : (Collection<?>) back;
        assertEquals(kinds(put), kinds(read));
    }

    /** The class of each element, or just List, Set or Map for those, as their class is not kept. */
    private static List<String> kinds(Collection<?> elements) {
        return elements.stream().map(e -> e == null ? "null" : e instanceof List ? "List" : e instanceof Set ? "Set"
                : e instanceof Map ? "Map" : e.getClass().getName()).sorted().toList();
    }

    private static SortedMap<String, Integer> reverseSorted(Map<String, Integer> map) {
        SortedMap<String, Integer> sorted = new TreeMap<>(Comparator.reverseOrder());
        sorted.putAll(map);
        return sorted;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    /** A composite key with collections behind interface and Object-typed fields. */
    record Shelf(String name, List<String> names, Set<String> tags, Map<Integer, String> numbers, Collection<Long> bag,
                 Object any, Iterable<String> iterable) {
    }

    /** A key whose fields are declared with implementation classes. */
    record Concrete(ArrayList<String> list, TreeSet<String> sorted, HashMap<Integer, String> hash,
                    SortedMap<String, Long> sortedMap, SortedSet<Integer> sortedSet) {
    }
}
