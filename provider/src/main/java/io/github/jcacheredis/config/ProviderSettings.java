package io.github.jcacheredis.config;

import io.github.jcacheredis.codec.CodecKind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The provider's own settings for one CacheManager, next to the Redisson connection config.
 *
 * @param namespace       first segment of every Redis key; isolates apps and environments
 * @param codec           how values are encoded
 * @param allowedPackages packages whose classes values and keys may instantiate, beyond the
 *                        declared types of each cache and JDK value types
 */
public record ProviderSettings(String namespace, CodecKind codec, List<String> allowedPackages) {

    public static final String NAMESPACE = "namespace";
    public static final String CODEC = "codec";
    public static final String ALLOWED_PACKAGES = "allowed-packages";

    /** Every provider key, as accepted in URI queries, Properties, config files and system properties. */
    public static final List<String> KEYS = List.of(NAMESPACE, CODEC, ALLOWED_PACKAGES);

    /** System properties named {@code jcache.redis.<key>} give defaults for every manager. */
    public static final String SYSTEM_PROPERTY_PREFIX = "jcache.redis.";

    public static final String DEFAULT_NAMESPACE = "jcache";

    public ProviderSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(codec, "codec");
        allowedPackages = List.copyOf(allowedPackages);
    }

    /** Settings from string values keyed by the names in {@link #KEYS}; absent keys take defaults. */
    public static ProviderSettings from(Map<String, String> values) {
        String namespace = values.getOrDefault(NAMESPACE, DEFAULT_NAMESPACE);
        CodecKind codec = values.containsKey(CODEC) ? CodecKind.parse(values.get(CODEC)) : CodecKind.JSON;
        List<String> packages = Arrays.stream(values.getOrDefault(ALLOWED_PACKAGES, "").split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
        return new ProviderSettings(namespace, codec, packages);
    }
}
