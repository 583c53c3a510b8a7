package io.github.jcacheredis.spring.actuator;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.config.FailureMode;
import io.github.jcacheredis.management.MBeans;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of the Redis behind the application's caches, as the caches found it: {@code UP}
 * while their calls reach Redis, {@code DOWN} from the first call that found it unreachable
 * ({@code failure-mode=fail}: calls throw) and {@link #DEGRADED} in that case with
 * {@code failure-mode=degrade} (caches act as empty). The details give, per CacheManager (by its
 * URI without credentials), the failure mode and, during an outage, its start and the writes
 * skipped so far. It sends nothing to Redis itself: an outage shows once a cache call met it.
 */
final class RedisCacheHealthIndicator extends AbstractHealthIndicator {

    /** Redis is unreachable and the caches act as empty; not in Spring Boot's default status order. */
    static final Status DEGRADED = new Status("DEGRADED", "Redis is unreachable; caches act as empty and skip writes");

    private final Supplier<List<RedisCacheManager>> managers;

    RedisCacheHealthIndicator(Supplier<List<RedisCacheManager>> managers) {
        super("the health of jcache-redis's Redis could not be read");
        this.managers = managers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Status status = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (RedisCacheManager manager : managers.get()) {
            if (manager.isClosed()) {
                continue;
            }
            Optional<Instant> since = manager.unreachableSince();
            Status own = since.isEmpty() ? Status.UP : manager.failureMode() == FailureMode.DEGRADE ? DEGRADED : Status.DOWN;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", own.getCode());
            detail.put("failureMode", manager.failureMode().name().toLowerCase(Locale.ROOT));
            since.ifPresent(start -> {
                detail.put("unreachableSince", start.toString());
                detail.put("skippedWrites", manager.skippedWrites());
            });
            details.put(MBeans.withoutPassword(manager.getURI()), detail);
            status = worse(status, own);
        }
        builder.status(status).withDetails(details);
    }

    private static Status worse(Status a, Status b) {
        List<Status> order = List.of(Status.DOWN, DEGRADED, Status.UP);
        return order.indexOf(a) <= order.indexOf(b) ? a : b;
    }
}
