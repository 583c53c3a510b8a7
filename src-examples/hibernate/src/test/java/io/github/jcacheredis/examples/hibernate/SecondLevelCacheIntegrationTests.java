package io.github.jcacheredis.examples.hibernate;

import static io.github.jcacheredis.examples.hibernate.TwoInstances.assertSecondLevelHitWithoutSql;
import static io.github.jcacheredis.examples.hibernate.TwoInstances.bookKey;
import static io.github.jcacheredis.examples.hibernate.TwoInstances.cleared;
import static io.github.jcacheredis.examples.hibernate.TwoInstances.persistBook;
import static io.github.jcacheredis.examples.hibernate.TwoInstances.titlesBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.hibernate.KeyType;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the application (two SessionFactories, two CacheManagers, one Redis, one
 * database): what one of them puts into the second-level cache is what the other one reads, and
 * what one of them changes or evicts is never read stale by the other. Every step is measured with
 * the reading instance's Hibernate statistics.
 */
class SecondLevelCacheIntegrationTests {

    private static final String BOOK = Book.class.getName();
    private static final String AUTHOR = Author.class.getName();

    private static TwoInstances instances;
    private static Instance a;
    private static Instance b;

    @BeforeAll
    static void start() {
        instances = TwoInstances.start();
        a = instances.a;
        b = instances.b;
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void theInstancesHaveCacheManagersOfTheirOwn() {
        assertNotSame(a.cacheManager(), b.cacheManager());
    }

    @Test
    void anEntityPersistedOnAIsASecondLevelHitOnBWithoutSql() {
        long id = persistBook(a, "Ada Lovelace", "Notes on the Analytical Engine").getId();

        Book book = assertSecondLevelHitWithoutSql(b, id);
        assertEquals("Notes on the Analytical Engine", book.getTitle());
        assertEquals(Genre.FICTION, book.getGenre());
    }

    @Test
    void anUpdateOnAIsWhatBReads() {
        long id = persistBook(a, "Edward Gibbon", "Decline").getId();
        b.inTransaction(session -> session.find(Book.class, id));

        a.inTransaction(session -> session.find(Book.class, id).setTitle("The Decline and Fall"));

        assertEquals("The Decline and Fall", assertSecondLevelHitWithoutSql(b, id).getTitle());
    }

    @Test
    void anEvictionOnAIsAMissOnB() {
        long id = persistBook(a, "Mary Shelley", "Frankenstein").getId();

        a.sessionFactory().getCache().evictEntityData(Book.class, id);

        Statistics stats = cleared(b);
        Book book = b.fromTransaction(session -> session.find(Book.class, id));
        assertEquals("Frankenstein", book.getTitle());
        assertEquals(0, stats.getSecondLevelCacheHitCount());
        assertEquals(1, stats.getSecondLevelCacheMissCount());
        assertEquals(1, stats.getPrepareStatementCount(), "B reads the row from the database");
        assertSecondLevelHitWithoutSql(a, id); // and puts it back for everyone
    }

    @Test
    void aCollectionLoadedOnAIsACollectionCacheHitOnB() {
        Book first = persistBook(a, "Carl Sagan", "Cosmos");
        long authorId = first.getAuthor().getId();
        persistBook(a, authorId, "Contact");
        a.inTransaction(session -> session.find(Author.class, authorId).getBooks().size());

        Statistics stats = cleared(b);
        List<String> titles = b.fromTransaction(session ->
                session.find(Author.class, authorId).getBooks().stream().map(Book::getTitle).toList());

        assertEquals(List.of("Cosmos", "Contact"), titles);
        assertEquals(1, stats.getCollectionStatistics(AUTHOR + ".books").getCacheHitCount());
        assertEquals(0, stats.getPrepareStatementCount());
    }

    @Test
    void aNaturalIdPersistedOnAIsANaturalIdCacheHitOnB() {
        Book persisted = persistBook(a, "Herodotus", "Histories");

        Statistics stats = cleared(b);
        Book book = b.fromTransaction(session -> session.find(Book.class, persisted.getIsbn(), KeyType.NATURAL));

        assertEquals(persisted.getId(), book.getId());
        assertEquals(1, stats.getNaturalIdCacheHitCount());
        assertEquals(0, stats.getPrepareStatementCount());
    }

    @Test
    void aQueryRunOnAIsAQueryCacheHitOnBUntilAInsertsIntoTheTable() {
        long authorId = persistBook(a, "Ursula K. Le Guin", "The Dispossessed").getAuthor().getId();
        assertEquals(List.of("The Dispossessed"), titlesBy(a, "Ursula K. Le Guin"));

        Statistics stats = cleared(b);
        assertEquals(List.of("The Dispossessed"), titlesBy(b, "Ursula K. Le Guin"));
        assertEquals(1, stats.getQueryCacheHitCount());
        assertEquals(0, stats.getQueryCacheMissCount());
        assertEquals(0, stats.getPrepareStatementCount());

        persistBook(a, authorId, "A Wizard of Earthsea");

        stats = cleared(b);
        assertEquals(List.of("A Wizard of Earthsea", "The Dispossessed"), titlesBy(b, "Ursula K. Le Guin"));
        assertEquals(0, stats.getQueryCacheHitCount());
        assertEquals(1, stats.getQueryCacheMissCount());
        assertEquals(1, stats.getPrepareStatementCount(), "B runs the query against the database");
    }

    /** Hibernate names regions after entities and collection roles; entries have no TTL unless configured. */
    @Test
    void regionsAreNamedAfterEntitiesAndCollectionsAndTheirEntriesDoNotExpire() {
        Book book = persistBook(a, "Homer", "Odyssey");
        a.inTransaction(session -> session.find(Author.class, book.getAuthor().getId()).getBooks().size());
        titlesBy(a, "Homer");

        Set<String> regions = new HashSet<>();
        a.cacheManager().getCacheNames().forEach(regions::add);
        assertEquals(Set.of(BOOK, BOOK + "##NaturalId", AUTHOR, AUTHOR + ".books",
                "default-query-results-region", "default-update-timestamps-region"), regions);
        assertEquals(-1L, instances.redis.call("PTTL", bookKey(book.getId())), "no TTL");
        String bookTable = instances.database.schema() + ".book";
        assertEquals(1L, instances.redis.call("EXISTS", "l2-example:default-update-timestamps-region:" + bookTable));
    }

    /** An expiry policy is configured by creating the region's cache before Hibernate does. */
    @Test
    void aRegionCreatedWithAnExpiryPolicyGivesItsEntriesThatTtl() {
        CacheManager manager = Instance.newCacheManager();
        manager.createCache(BOOK, new MutableConfiguration<>()
                .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10))));
        try (Instance c = Instance.withCacheManager("C", instances.database, false, manager)) {
            long id = persistBook(c, "Italo Calvino", "Invisible Cities").getId();

            long ttl = (Long) instances.redis.call("PTTL", bookKey(id));
            assertTrue(ttl > 0 && ttl <= 600_000, "a ten-minute TTL, was " + ttl);
            assertEquals("Invisible Cities", assertSecondLevelHitWithoutSql(b, id).getTitle());
        }
    }
}
