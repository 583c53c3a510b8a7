package io.github.jcacheredis.spring;

import io.github.jcacheredis.config.ManagerConfig;
import io.github.jcacheredis.config.ProviderSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer;

/**
 * Sets {@code allowed-packages} in the Properties Spring Boot passes to {@code getCacheManager} to
 * the application's packages, so that untyped caches can read back the application's own classes.
 *
 * <p>It never overrides the user: when the manager would get {@code allowed-packages} from any
 * source (another customizer, the query of {@code REDIS_URL}, the {@code jcache:} block of
 * {@code spring.cache.jcache.config}, or the system property {@code jcache.redis.allowed-packages}),
 * the Properties are left as they are. A package of one segment ({@code com}, {@code app}) is never
 * added: it would admit whole ecosystems of library classes, the usual source of deserialization
 * gadgets.
 */
final class ApplicationPackagesCustomizer implements JCachePropertiesCustomizer {

    private static final Logger log = LoggerFactory.getLogger(ApplicationPackagesCustomizer.class);

    private final List<String> applicationPackages;
    private final Supplier<URI> managerUri;
    private final ClassLoader classLoader;

    /**
     * @param applicationPackages the application's base packages
     * @param managerUri          the URI Spring Boot is about to ask the provider for
     * @param classLoader         the class loader Spring Boot passes to the provider
     */
    ApplicationPackagesCustomizer(Collection<String> applicationPackages, Supplier<URI> managerUri,
                                  ClassLoader classLoader) {
        this.applicationPackages = List.copyOf(applicationPackages);
        this.managerUri = managerUri;
        this.classLoader = classLoader;
    }

    @Override
    public void customize(Properties properties) {
        if (configuredElsewhere(properties)) {
            return;
        }
        List<String> packages = specificPackages();
        if (!packages.isEmpty()) {
            properties.setProperty(ProviderSettings.ALLOWED_PACKAGES, String.join(",", packages));
            log.debug("jcache-redis: allowed-packages={} (the application's packages)", properties
                    .getProperty(ProviderSettings.ALLOWED_PACKAGES));
        }
    }

    /** True when the manager would get allowed-packages from the Properties so far or its URI or system properties. */
    private boolean configuredElsewhere(Properties properties) {
        URI uri = managerUri.get();
        return !ManagerConfig.resolve(uri, properties, classLoader).settings().allowedPackages().isEmpty();
    }

    private List<String> specificPackages() {
        List<String> packages = new ArrayList<>();
        for (String name : applicationPackages) {
            if (name.indexOf('.') > 0) {
                packages.add(name);
            } else {
                log.warn("jcache-redis: the application's package '{}' is too broad to allow in untyped caches;"
                        + " set allowed-packages (for example the system property jcache.redis.allowed-packages)"
                        + " to the packages of the classes you cache", name);
            }
        }
        return packages;
    }
}
