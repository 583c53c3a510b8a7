package io.github.jcacheredis.config;

import java.util.function.Supplier;
import org.redisson.config.Config;

/**
 * How to reach Redis: a Redisson {@link Config} factory plus an identity under which managers
 * with the same connection share one Redisson client. The identity never holds a password.
 */
public record ConnectionSpec(String identity, Supplier<Config> config) {
}
