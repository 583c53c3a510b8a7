package io.github.jcacheredis.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Spring and Micrometer are optional dependencies: an application without them must never load a
 * class that needs them. Only the classes of this package (and its subpackages) and of the
 * {@code micrometer} package may refer to them, no other class may refer to those packages, and
 * Spring Boot finds the auto-configurations through its imports file alone.
 */
class SpringIsolationUnitTests {

    private static final String SPRING_PACKAGE = "io/github/jcacheredis/spring/";
    private static final String MICROMETER_PACKAGE = "io/github/jcacheredis/micrometer/";

    @Test
    void noProviderClassOutsideThisPackageRefersToSpringOrToThisPackage() throws IOException {
        Path classes = providerClasses();
        List<Path> offenders;
        int checked;
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> core = files.filter(f -> f.toString().endsWith(".class"))
                    .filter(f -> !isOptionalIntegration(classes.relativize(f).toString().replace('\\', '/')))
                    .toList();
            checked = core.size();
            offenders = core.stream().filter(SpringIsolationUnitTests::refersToSpring).toList();
        }
        assertTrue(checked > 50, "expected the provider's classes under " + classes + ", found " + checked);
        assertEquals(List.of(), offenders);
    }

    @Test
    void springBootFindsTheAutoConfigurationThroughItsImportsFile() throws IOException {
        Path imports = providerClasses()
                .resolve("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
        assertEquals(List.of(RedisJCacheAutoConfiguration.class.getName(),
                "io.github.jcacheredis.spring.actuator.RedisCacheMetricsAutoConfiguration",
                "io.github.jcacheredis.spring.actuator.RedisCacheHealthAutoConfiguration"), Files.readAllLines(imports).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
    }

    @Test
    void theProviderNameTheConditionMatchesIsThisProvider() {
        assertEquals(RedisCachingProvider.class.getName(), RedisJCacheAutoConfiguration.PROVIDER);
    }

    /** The provider's own compiled classes and resources (target/classes). */
    private static Path providerClasses() {
        try {
            return Path.of(RedisCachingProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isOptionalIntegration(String classFile) {
        return classFile.startsWith(SPRING_PACKAGE) || classFile.startsWith(MICROMETER_PACKAGE);
    }

    /** Class files name the classes they use in internal form, so a reference shows up as text. */
    private static boolean refersToSpring(Path classFile) {
        try {
            String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return text.contains("org/springframework/") || text.contains("io/micrometer/")
                    || text.contains(SPRING_PACKAGE) || text.contains(MICROMETER_PACKAGE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
