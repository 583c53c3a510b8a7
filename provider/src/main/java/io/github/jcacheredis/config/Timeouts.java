package io.github.jcacheredis.config;

import java.time.Duration;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.EqualJitterDelay;

/**
 * Cache-friendly Redisson timeouts. Redisson's defaults (3 s per attempt, four retries 1 to 2 s
 * apart) can hold a request thread for ten seconds and more; a cache call should give up quickly:
 * one attempt of {@code timeout}, one retry 100 ms later.
 */
final class Timeouts {

    static final int RETRY_ATTEMPTS = 1;
    static final Duration RETRY_DELAY = Duration.ofMillis(100);
    static final Duration MAX_RECONNECTION_DELAY = Duration.ofSeconds(2);

    private Timeouts() {
    }

    /** Applies the timeouts to whichever server configuration {@code config} uses. */
    static Config apply(Config config, Duration timeout) {
        BaseConfig<?> servers = ServerBlocks.of(config);
        int millis = (int) timeout.toMillis();
        servers.setTimeout(millis);
        servers.setConnectTimeout(Math.max(millis, 1000));
        servers.setRetryAttempts(RETRY_ATTEMPTS);
        servers.setRetryDelay(new ConstantDelay(RETRY_DELAY));
        // reconnect within two seconds of Redis coming back, not Redisson's ten
        servers.setReconnectionDelay(new EqualJitterDelay(RETRY_DELAY, MAX_RECONNECTION_DELAY));
        return config;
    }
}
