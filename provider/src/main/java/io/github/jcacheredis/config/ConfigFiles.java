package io.github.jcacheredis.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.cache.CacheException;
import org.redisson.config.Config;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a config file named by a {@code file:}, {@code jar:} or {@code classpath:} URI: Redisson's
 * YAML (single server, cluster, sentinel, ...) with the provider keys in a top-level {@code jcache:}
 * block, for example:
 * <pre>
 * clusterServersConfig:
 *   nodeAddresses: ["redis://10.0.0.1:6379", "redis://10.0.0.2:6379"]
 * jcache:
 *   namespace: myapp
 * </pre>
 * Servers with replicas read from their masters unless the file sets {@code readMode}
 * ({@link ReplicaRouting}).
 */
final class ConfigFiles {

    static final String PROVIDER_BLOCK = "jcache";

    private ConfigFiles() {
    }

    static boolean isConfigFileUri(URI uri) {
        String scheme = uri.getScheme();
        return "file".equalsIgnoreCase(scheme) || "jar".equalsIgnoreCase(scheme) || "classpath".equalsIgnoreCase(scheme);
    }

    /** The parsed file: the provider keys, and the Redisson config of the rest. */
    record ParsedFile(Map<String, String> providerKeys, ConnectionSpec connection) {
    }

    static ParsedFile read(URI uri, ClassLoader classLoader) {
        String text = readText(uri, classLoader);
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(root instanceof Map<?, ?> map)) {
            throw new CacheException("the config file " + uri + " is not a YAML mapping");
        }
        Map<String, Object> redisson = new LinkedHashMap<>();
        Map<String, String> provider = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (PROVIDER_BLOCK.equals(k)) {
                if (v instanceof Map<?, ?> block) {
                    block.forEach((pk, pv) -> provider.put(String.valueOf(pk), pv == null ? "" : String.valueOf(pv)));
                }
            } else {
                redisson.put(String.valueOf(k), v);
            }
        });
        ReplicaRouting.applyDefaults(redisson, uri);
        String redissonYaml = new Yaml().dump(redisson);
        return new ParsedFile(provider, new ConnectionSpec(uri.toString(), () -> parseRedisson(uri, redissonYaml)));
    }

    private static Config parseRedisson(URI uri, String yaml) {
        try {
            return Config.fromYAML(yaml);
        } catch (RuntimeException e) {
            throw new CacheException("the config file " + uri + " is not a valid Redisson config: " + e.getMessage(), e);
        }
    }

    private static String readText(URI uri, ClassLoader classLoader) {
        try (InputStream in = open(uri, classLoader)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CacheException("cannot read the config file " + uri + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(URI uri, ClassLoader classLoader) throws IOException {
        if ("classpath".equalsIgnoreCase(uri.getScheme())) {
            String path = uri.getSchemeSpecificPart();
            while (path.startsWith("/")) {
                path = path.substring(1);
            }
            InputStream in = classLoader.getResourceAsStream(path);
            if (in == null) {
                throw new IOException("no resource '" + path + "' on the class path");
            }
            return in;
        }
        return uri.toURL().openStream();
    }
}
