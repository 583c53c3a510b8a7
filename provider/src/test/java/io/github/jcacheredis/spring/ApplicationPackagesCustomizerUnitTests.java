package io.github.jcacheredis.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which packages the customizer adds, and when it leaves allowed-packages to the user. No Redis needed. */
class ApplicationPackagesCustomizerUnitTests {

    private static final URI REDIS = URI.create("redis://127.0.0.1:6399");

    @AfterEach
    void clearSystemProperty() {
        System.clearProperty("jcache.redis.allowed-packages");
    }

    @Test
    void addsTheApplicationsPackages() {
        assertEquals("com.acme.shop,com.acme.billing",
                customize(List.of("com.acme.shop", "com.acme.billing"), REDIS, new Properties()));
    }

    @Test
    void neverAddsAPackageOfOneEncodedKey() {
        assertEquals("com.acme.shop", customize(List.of("com", "app", "", "com.acme.shop"), REDIS, new Properties()));
        assertNull(customize(List.of("app"), REDIS, new Properties()));
    }

    @Test
    void addsNothingWithoutApplicationPackages() {
        assertNull(customize(List.of(), REDIS, new Properties()));
    }

    @Test
    void leavesAValueSetByAnotherCustomizer() {
        Properties properties = new Properties();
        properties.setProperty("allowed-packages", "org.example.mine");
        assertEquals("org.example.mine", customize(List.of("com.acme.shop"), REDIS, properties));
    }

    @Test
    void leavesTheValueOfTheManagerUriToIt() {
        assertNull(customize(List.of("com.acme.shop"), URI.create(REDIS + "?allowed-packages=org.example.mine"),
                new Properties()));
    }

    @Test
    void leavesTheValueOfTheSystemPropertyToIt() {
        System.setProperty("jcache.redis.allowed-packages", "org.example.mine");
        assertNull(customize(List.of("com.acme.shop"), REDIS, new Properties()));
    }

    private static String customize(List<String> packages, URI managerUri, Properties properties) {
        new ApplicationPackagesCustomizer(packages, () -> managerUri, ApplicationPackagesCustomizerUnitTests.class
                .getClassLoader()).customize(properties);
        return properties.getProperty("allowed-packages");
    }
}
