package io.github.jcacheredis.examples.springboot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jcacheredis.testsupport.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Actuator over real HTTP against the example started on a random port, as an operator would use
 * it: {@code /actuator/caches} lists the caches, {@code /actuator/metrics/cache.*} count what they
 * did (statistics are on in the example), and {@code /actuator/health} reports the caches' Redis
 * UP, DOWN while it is stopped ({@code failure-mode=fail}), and DEGRADED with
 * {@code failure-mode=degrade}, with the outage's start.
 */
class ActuatorOverHttpTests {

    private static final String EFFECTIVE_JAVA = CatalogTour.EFFECTIVE_JAVA;
    private static final String COMPONENT = "/actuator/health/jcacheRedis";
    private static final String MANAGER = "jcache-redis:default";

    private static RedisServer redis;
    private RunningCatalog catalog;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void stopInstanceAndBringRedisBack() {
        if (catalog != null) {
            catalog.close();
        }
        if (!redis.isRunning()) {
            redis.restart();
        }
    }

    private Http start(String... properties) {
        List<String> all = new ArrayList<>(List.of("spring.data.redis.url=" + redis.uri()));
        all.addAll(List.of(properties));
        catalog = RunningCatalog.start(all.toArray(String[]::new));
        return new Http(catalog.port());
    }

    @Test
    void theCachesAreListed() {
        JsonNode caches = start().get("/actuator/caches").json().at("/cacheManagers/cacheManager/caches");
        assertTrue(caches.has("books") && caches.has("books-by-author"), caches.toString());
        assertEquals("io.github.jcacheredis.RedisCache", caches.at("/books/target").asText(), caches.toString());
    }

    @Test
    void metricsCountHitsMissesPutsAndRemovals() {
        Http http = start();
        assertEquals(200, http.get("/books/" + EFFECTIVE_JAVA).status()); // miss, loaded and put
        assertEquals(200, http.get("/books/" + EFFECTIVE_JAVA).status()); // hit
        assertEquals(200, http.get("/books/" + EFFECTIVE_JAVA).status()); // hit
        assertEquals(404, http.get("/books/978-0000000000").status());    // miss, the null is put
        assertEquals(404, http.get("/books/978-0000000000").status());    // hit on the cached null
        assertEquals(204, http.delete("/books/978-0000000000").status());  // removal

        assertEquals(3.0, http.metric("cache.gets", "name:books", "result:hit"));
        assertEquals(2.0, http.metric("cache.gets", "name:books", "result:miss"));
        assertEquals(2.0, http.metric("cache.puts", "name:books"));
        assertEquals(1.0, http.metric("cache.removals", "name:books"));
        assertEquals(0.0, http.metric("cache.gets", "name:books-by-author", "result:hit"));
    }

    @Test
    void healthIsUpThenDownWhileRedisIsStopped() {
        Http http = start();
        assertEquals("UP", http.get(COMPONENT).json().get("status").asText());
        assertEquals(200, http.get("/books/" + EFFECTIVE_JAVA).status());

        Instant beforeOutage = Instant.now();
        redis.kill();
        assertEquals(500, http.get("/books/978-0321349606").status(), "failure-mode=fail: the call fails");
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(COMPONENT).status() == 503);
        Http.Response health = http.get(COMPONENT);
        assertEquals("DOWN", health.json().get("status").asText(), health.body());
        JsonNode manager = health.json().at("/details/" + MANAGER);
        assertEquals("fail", manager.get("failureMode").asText(), health.body());
        Instant since = Instant.parse(manager.get("unreachableSince").asText());
        assertTrue(!since.isBefore(beforeOutage.minusMillis(1)) && !since.isAfter(Instant.now()), health.body());
        assertEquals(503, http.get("/actuator/health").status(), "the application reports DOWN");

        redis.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get(COMPONENT).status() == 200);
        assertEquals("UP", http.get("/actuator/health").json().get("status").asText());
    }

    @Test
    void healthIsDegradedWhileRedisIsStoppedWithFailureModeDegrade() {
        Http http = start("jcache-redis.failure-mode=degrade");
        redis.kill();
        assertEquals(200, http.get("/books/" + EFFECTIVE_JAVA).status(), "degraded: a miss, served by the repository");
        await().atMost(Duration.ofSeconds(10)).until(() -> "DEGRADED".equals(http.get(COMPONENT).json().get("status").asText()));
        Http.Response health = http.get(COMPONENT);
        JsonNode manager = health.json().at("/details/" + MANAGER);
        assertEquals("degrade", manager.get("failureMode").asText(), health.body());
        Instant.parse(manager.get("unreachableSince").asText());
        assertTrue(manager.get("skippedWrites").asLong() >= 1, "the put of the loaded book was skipped: " + health.body());
        Http.Response application = http.get("/actuator/health");
        assertEquals(200, application.status(), "a degraded cache leaves the application up: " + application.body());
        assertEquals("UP", application.json().get("status").asText());
    }
}
