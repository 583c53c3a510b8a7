package io.github.jcacheredis.examples.hibernate;

import static io.github.jcacheredis.examples.hibernate.TwoInstances.assertSecondLevelHitWithoutSql;
import static io.github.jcacheredis.examples.hibernate.TwoInstances.persistBook;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/**
 * Instances stop and start (deploys, restarts, scaling) while others keep running: Hibernate closes
 * the CacheManager of a SessionFactory it closes, which must leave every other instance's manager,
 * and the entries in Redis, as they were.
 */
class InstanceLifecycleIntegrationTests {

    @Test
    void eitherInstanceCanStopWhileTheOtherKeepsServingFromTheCache() {
        try (TwoInstances instances = TwoInstances.start()) {
            Instance a = instances.a;
            Instance b = instances.b;
            Book first = persistBook(a, "Jules Verne", "Twenty Thousand Leagues Under the Seas");
            CacheManager managerOfA = a.cacheManager();
            CacheManager managerOfB = b.cacheManager();

            a.close();
            assertTrue(managerOfA.isClosed());
            assertFalse(managerOfB.isClosed());
            assertSecondLevelHitWithoutSql(b, first.getId());
            long second = persistBook(b, first.getAuthor().getId(), "Around the World in Eighty Days").getId();

            try (Instance restartedA = Instance.configuredByUri("A restarted", instances.database, false)) {
                assertSecondLevelHitWithoutSql(restartedA, second);

                b.close();
                assertTrue(managerOfB.isClosed());
                assertFalse(restartedA.cacheManager().isClosed());
                assertSecondLevelHitWithoutSql(restartedA, first.getId());
            }
        }
    }
}
