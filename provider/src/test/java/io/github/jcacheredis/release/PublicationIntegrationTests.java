package io.github.jcacheredis.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What the build would publish meets Maven Central's requirements and stays lean: the POMs of the
 * artifact and of its parent each state name, description, url, licenses, scm and developers; the
 * artifact comes with sources and javadoc jars; and its run-time dependencies are exactly what the
 * provider needs (run by failsafe, after the package phase built them).
 */
class PublicationIntegrationTests {

    /** The non-optional dependencies of the published POM: what a user's class path gains. */
    private static final List<String> RUNTIME_DEPENDENCIES = List.of(
            "com.fasterxml.jackson.core:jackson-databind",
            "com.fasterxml.jackson.datatype:jackson-datatype-jdk8",
            "com.fasterxml.jackson.datatype:jackson-datatype-jsr310",
            "com.github.ben-manes.caffeine:caffeine",
            "io.netty:netty-buffer",
            "io.netty:netty-codec-base",
            "io.netty:netty-common",
            "io.netty:netty-handler",
            "io.netty:netty-resolver",
            "io.netty:netty-resolver-dns",
            "io.netty:netty-transport",
            "javax.cache:cache-api",
            "org.slf4j:slf4j-api",
            "org.yaml:snakeyaml");

    private static Path path(String property) {
        return Path.of(Objects.requireNonNull(System.getProperty(property), property + " is set by the build"));
    }

    @Test
    void bothPublishedPomsStateWhatMavenCentralRequires() throws Exception {
        for (String pom : List.of("published.pom", "parent.pom")) {
            Element project = read(path(pom)).getDocumentElement();
            for (String element : List.of("name", "description", "url")) {
                assertFalse(text(project, element).isBlank(), pom + " has no <" + element + ">");
            }
            Element license = child(child(project, "licenses"), "license");
            assertFalse(text(license, "name").isBlank() || text(license, "url").isBlank(), pom + ": license");
            Element scm = child(project, "scm");
            assertFalse(text(scm, "url").isBlank() || text(scm, "connection").isBlank(), pom + ": scm");
            Element developer = child(child(project, "developers"), "developer");
            assertFalse(text(developer, "name").isBlank(), pom + ": developer");
        }
    }

    @Test
    void theArtifactDependsOnlyOnWhatItNeedsAtRunTime() throws Exception {
        Element project = read(path("published.pom")).getDocumentElement();
        List<String> runtime = new ArrayList<>();
        NodeList dependencies = child(project, "dependencies").getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String scope = text(dependency, "scope");
            if (!"true".equals(text(dependency, "optional")) && !scope.equals("test") && !scope.equals("provided")) {
                runtime.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
            }
        }
        assertEquals(RUNTIME_DEPENDENCIES, runtime.stream().sorted().toList(),
                "Redisson is inside the jar; Reactor, RxJava, Kryo, byte-buddy and jodd-util are not needed");
    }

    @Test
    void sourcesAndJavadocJarsComeWithTheArtifact() throws IOException {
        try (JarFile sources = new JarFile(path("sources.jar").toFile());
             JarFile javadoc = new JarFile(path("javadoc.jar").toFile())) {
            assertNotNull(sources.getEntry("io/github/jcacheredis/RedisCachingProvider.java"));
            assertNotNull(sources.getEntry("io/github/jcacheredis/keyv/KeyvFormat.java"));
            assertNotNull(javadoc.getEntry("index.html"));
            assertNotNull(javadoc.getEntry("io/github/jcacheredis/RedisCachingProvider.html"));
        }
    }

    @Test
    void theJarRegistersThisProviderOnly() throws IOException {
        try (JarFile jar = new JarFile(path("published.jar").toFile())) {
            ZipEntry services = jar.getEntry("META-INF/services/javax.cache.spi.CachingProvider");
            try (InputStream in = jar.getInputStream(services)) {
                assertEquals("io.github.jcacheredis.RedisCachingProvider",
                        new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
            assertNotNull(jar.getEntry("io/github/jcacheredis/shaded/org/redisson/Redisson.class"));
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/redisson/")));
        }
    }

    private static Document read(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    /** The direct child element named {@code name}; fails when there is none. */
    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static String text(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        return "";
    }
}
