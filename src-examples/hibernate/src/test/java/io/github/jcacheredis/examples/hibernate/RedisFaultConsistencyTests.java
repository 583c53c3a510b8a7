package io.github.jcacheredis.examples.hibernate;

import static io.github.jcacheredis.examples.hibernate.FaultyPair.isDown;
import static io.github.jcacheredis.examples.hibernate.FaultyPair.persistBook;
import static io.github.jcacheredis.examples.hibernate.FaultyPair.read;
import static io.github.jcacheredis.examples.hibernate.FaultyPair.skippedWrites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.examples.hibernate.FaultyPair.Read;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer.PauseMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the example over one Redis and one database; Redis misbehaves while instance A
 * updates a book that both instances' sessions have been served from the second-level cache: Redis
 * stalls ({@code CLIENT PAUSE ALL}) during the flush or after it, the reply to A's soft lock is held
 * past A's timeout, Redis is killed, or A's network path to Redis goes silent. Once the fault is
 * over, no session on either instance may be served an entity, collection or query result other
 * than what the database committed.
 *
 * <p>With {@code failure-mode=fail}, a stall during or after a transaction never makes any session
 * be served anything but the committed row. The commit may report a failure although the database
 * committed: hibernate-jcache calls the cache from Hibernate's after-completion step, which logs and
 * goes on only for {@code org.hibernate.cache.CacheException}; the provider's
 * {@code javax.cache.CacheException} passes through it, and the commit throws. With
 * {@code failure-mode=degrade}, the commit succeeds with its cache writes skipped, and once A reaches
 * Redis again none of them leaves the old entity behind.
 */
class RedisFaultConsistencyTests {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration STALL = Duration.ofMillis(2500);
    private static final Map<String, String> FAIL = Map.of("timeout", "500");
    private static final Map<String, String> DEGRADE = Map.of("timeout", "500", "failure-mode", "degrade");

    /** fail mode: Redis stalls after the flush, so A's after-commit cache calls time out; the update is committed. */
    @Test
    void failModeStallAfterCommitServesNoOldEntity() {
        stallAfterCommit(FAIL);
    }

    /** The same with a near cache on both instances. */
    @Test
    void failModeStallAfterCommitWithNearCachesServesNoOldEntity() {
        stallAfterCommit(Map.of("timeout", "500", "near-cache", "1000"));
    }

    private static void stallAfterCommit(Map<String, String> settings) {
        try (FaultyPair pair = FaultyPair.start(false, settings, settings)) {
            long id = persistBook(pair.a, "Stall After", "v1").getId();
            assertEquals(new Read("v1", true, 0), read(pair.b, id), "B's read before the update");

            RuntimeException failure = assertThrows(RuntimeException.class, () -> pair.a.inTransaction(session -> {
                session.find(Book.class, id).setTitle("v2");
                session.flush(); // the soft lock is put while Redis answers
                pair.redis.pauseClients(STALL, PauseMode.ALL);
            }), "A's commit, its after-completion cache calls timing out");
            assertEquals("v2", pair.committedTitle(id), "the database after A's commit reported " + failure);

            pair.redis.call("PING"); // answers once the stall is over
            assertAllServe("v2", readsOnceUp(pair, id), "after the stall");
        }
    }

    /** fail mode: Redis stalls before the flush, so the soft lock's put times out and the update is rolled back. */
    @Test
    void failModeStallDuringFlushServesNoOldEntity() {
        try (FaultyPair pair = FaultyPair.start(false, FAIL, FAIL)) {
            long id = persistBook(pair.a, "Stall Flush", "v1").getId();
            assertEquals(new Read("v1", true, 0), read(pair.b, id), "B's read before the update");

            RuntimeException failure = assertThrows(RuntimeException.class, () -> pair.a.inTransaction(session -> {
                session.find(Book.class, id).setTitle("v2");
                pair.redis.pauseClients(STALL, PauseMode.ALL);
            }), "A's transaction, its flush's cache calls timing out");
            assertEquals("v1", pair.committedTitle(id), "the database after A's transaction failed with " + failure);

            pair.redis.call("PING");
            assertAllServe("v1", readsOnceUp(pair, id), "after the stall");
        }
    }

    /**
     * fail mode: the soft lock's put runs in Redis but its reply is held past A's timeout, so the
     * put's outcome is unknown to A and the update is rolled back, the soft lock left in Redis.
     */
    @Test
    void failModeSoftLockPutWithUnknownOutcomeServesNoOldEntity() {
        try (FaultyPair pair = FaultyPair.start(true, FAIL, FAIL)) {
            long id = persistBook(pair.a, "Unknown Lock", "v1").getId();
            assertEquals(new Read("v1", true, 0), read(pair.b, id), "B's read before the update");

            var hold = pair.proxyOfA.holdReply("SoftLockImpl");
            RuntimeException failure = assertThrows(RuntimeException.class,
                    () -> pair.a.inTransaction(session -> session.find(Book.class, id).setTitle("v2")),
                    "A's transaction, the reply to its soft lock's put held");
            hold.awaitHeld(LONG);
            hold.release();
            assertEquals("v1", pair.committedTitle(id), "the database after A's transaction failed with " + failure);

            Await.until("A uses Redis again", LONG, () -> !isDown(pair.a));
            assertAllServe("v1", readsOnceUp(pair, id), "once A uses Redis again");
        }
    }

    /**
     * fail mode: a new book of an existing author, Redis stalling after the flush: the author's
     * cached {@code books} collection and the cached query result must not be served without it.
     */
    @Test
    void failModeStallAfterCommitOfANewBookServesNoOldCollectionOrQuery() {
        try (FaultyPair pair = FaultyPair.start(false, FAIL, FAIL)) {
            long authorId = persistBook(pair.a, "Collection Author", "first").getAuthor().getId();
            for (Instance instance : List.of(pair.a, pair.b)) {
                String name = pair.nameOf(instance);
                titlesOf(instance, authorId);
                titlesByQuery(instance);
                Statistics stats = instance.statistics();
                stats.clear();
                assertEquals(List.of("first"), titlesOf(instance, authorId), "the collection on " + name);
                assertEquals(List.of("first"), titlesByQuery(instance), "the query on " + name);
                assertEquals(0, stats.getPrepareStatementCount(),
                        "SQL statements for the collection and the query on " + name + ", both cached");
            }

            RuntimeException failure = assertThrows(RuntimeException.class, () -> pair.a.inTransaction(session -> {
                Library.newBook(session, session.find(Author.class, authorId), "978-9999999", "second");
                session.flush();
                pair.redis.pauseClients(STALL, PauseMode.ALL);
            }), "A's commit, its after-completion cache calls timing out");

            pair.redis.call("PING");
            for (Instance instance : List.of(pair.a, pair.b, pair.a, pair.b)) {
                String name = pair.nameOf(instance);
                assertEquals(List.of("first", "second"),
                        servedOnceUp(name, () -> titlesOf(instance, authorId)).stream().sorted().toList(),
                        "the collection on " + name + " after the stall; A's commit reported " + failure);
                assertEquals(List.of("first", "second"), servedOnceUp(name, () -> titlesByQuery(instance)),
                        "the query on " + name + " after the stall; A's commit reported " + failure);
            }
        }
    }

    /** degrade mode: Redis killed while A updates, restarted empty afterwards; A's commit succeeds. */
    @Test
    void degradeModeRedisKilledDuringUpdateServesNoOldEntity() {
        try (FaultyPair pair = FaultyPair.start(false, DEGRADE, DEGRADE)) {
            long id = persistBook(pair.a, "Killed", "v1").getId();
            assertEquals(new Read("v1", true, 0), read(pair.b, id), "B's read before the update");

            pair.redis.kill();
            pair.a.inTransaction(session -> session.find(Book.class, id).setTitle("v2"));
            assertEquals("v2", pair.committedTitle(id), "the database after A's commit");
            assertTrue(isDown(pair.a), "A's manager is marked down");
            assertTrue(skippedWrites(pair.a) > 0, "A's skipped writes: " + skippedWrites(pair.a));
            Read onB = read(pair.b, id);
            assertEquals("v2", onB.title(), "B while Redis is down was served " + onB);
            assertFalse(onB.fromSecondLevelCache(), "B while Redis is down was served " + onB);
            assertTrue(isDown(pair.b), "B's manager is marked down");

            pair.redis.restart();
            Await.until("both reach Redis again", LONG, () -> !isDown(pair.a) && !isDown(pair.b));
            assertAllServe("v2", readsOnceUp(pair, id), "after the restart");
        }
    }

    /**
     * degrade mode: A's path to Redis goes silent (B's does not) while A updates the book; A's commit
     * succeeds with its cache writes skipped. Once A reaches Redis again (its skipped writes undone),
     * no session on A or B is served the old title. While A is cut off, B may be served the old
     * entity from Redis: the README lists this among what the provider cannot promise (skipped
     * writes live in the instance that skipped them).
     */
    @Test
    void degradeModeInstanceCutOffDuringUpdateOthersServeNoOldEntity() {
        try (FaultyPair pair = FaultyPair.start(true, DEGRADE, DEGRADE)) {
            long id = persistBook(pair.a, "Cut Off", "v1").getId();
            assertEquals(new Read("v1", true, 0), read(pair.b, id), "B's read before the update");

            pair.proxyOfA.freeze();
            pair.a.inTransaction(session -> session.find(Book.class, id).setTitle("v2"));
            assertEquals("v2", pair.committedTitle(id), "the database after A's commit");
            assertTrue(isDown(pair.a), "A's manager is marked down");
            assertTrue(skippedWrites(pair.a) > 0, "A's skipped writes: " + skippedWrites(pair.a));

            pair.proxyOfA.thaw();
            Await.until("A reaches Redis again", LONG, () -> !isDown(pair.a));
            assertAllServe("v2", readsOnceUp(pair, id), "once A reaches Redis again");
        }
    }

    private static List<String> titlesOf(Instance instance, long authorId) {
        return instance.fromTransaction(session ->
                session.find(Author.class, authorId).getBooks().stream().map(Book::getTitle).toList());
    }

    private static List<String> titlesByQuery(Instance instance) {
        return instance.fromTransaction(session ->
                Library.booksBy(session, "Collection Author").stream().map(Book::getTitle).toList());
    }

    private static void assertAllServe(String title, List<Read> reads, String when) {
        reads.forEach(r -> assertEquals(title, r.title(), "served " + r + " " + when + "; the reads on A, B, A, B: " + reads));
    }

    /** Reads on both instances, twice each (the second may be a cache hit), once their calls succeed. */
    private static List<Read> readsOnceUp(FaultyPair pair, long id) {
        List<Read> reads = new ArrayList<>();
        for (Instance instance : List.of(pair.a, pair.b, pair.a, pair.b)) {
            reads.add(servedOnceUp(pair.nameOf(instance), () -> read(instance, id)));
        }
        return reads;
    }

    /** What {@code read} returns once it no longer throws (a manager fails fast until its probe finds Redis back). */
    private static <T> T servedOnceUp(String instance, Supplier<T> read) {
        List<T> served = new ArrayList<>(1);
        Await.until("a read on " + instance + " succeeds", LONG, () -> served.add(read.get()));
        return served.get(0);
    }
}
