package io.github.jcacheredis.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Redisson YAML config for servers the harness started: one servers block (cluster,
 * master/replicas or sentinel) with settings, plus an optional {@code jcache:} block of provider settings.
 * Values are YAML as written ({@code "readMode", "SLAVE"}).
 */
public final class RedissonYaml {

    private final String serversBlock;
    private final Map<String, String> serverSettings = new LinkedHashMap<>();
    private final Map<String, String> providerSettings = new LinkedHashMap<>();

    private RedissonYaml(String serversBlock) {
        this.serversBlock = serversBlock;
    }

    /** {@code clusterServersConfig} with these seeds and a topology scan every second. */
    public static RedissonYaml cluster(List<String> nodeUris) {
        return new RedissonYaml("clusterServersConfig").server("nodeAddresses", sequence(nodeUris))
                .server("scanInterval", "1000");
    }

    /** {@code masterSlaveServersConfig} with {@code master} and its {@code replicas}. */
    public static RedissonYaml masterSlave(RedisServer master, RedisServer... replicas) {
        return new RedissonYaml("masterSlaveServersConfig").server("masterAddress", quoted(master.uri()))
                .server("slaveAddresses", sequence(java.util.Arrays.stream(replicas).map(RedisServer::uri).toList()));
    }

    /**
     * {@code sentinelServersConfig} naming {@code sentinel}'s master; a single sentinel knows no
     * others, so the check that it does is off.
     */
    public static RedissonYaml sentinel(RedisSentinel sentinel) {
        return new RedissonYaml("sentinelServersConfig").server("masterName", quoted(sentinel.masterName()))
                .server("sentinelAddresses", sequence(List.of(sentinel.uri())))
                .server("checkSentinelsList", "false");
    }

    /** Sets (or replaces) a setting of the servers block, for example {@code server("readMode", "SLAVE")}. */
    public RedissonYaml server(String key, String value) {
        serverSettings.put(key, value);
        return this;
    }

    /** Sets (or replaces) a provider setting in the {@code jcache:} block. */
    public RedissonYaml provider(String key, String value) {
        providerSettings.put(key, value);
        return this;
    }

    /** Provider settings written as {@code "key: value"} lines. */
    public RedissonYaml providerLines(String... lines) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("not a 'key: value' setting: " + line);
            }
            provider(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return this;
    }

    public String text() {
        StringBuilder yaml = new StringBuilder(serversBlock).append(":\n");
        serverSettings.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        if (!providerSettings.isEmpty()) {
            yaml.append("jcache:\n");
            providerSettings.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        }
        return yaml.toString();
    }

    /** Writes {@link #text()} to a temporary file, deleted when the JVM exits, and returns its {@code file:} URI. */
    public URI write() {
        try {
            Path file = Files.createTempFile("redisson-", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, text());
            return file.toUri();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return text();
    }

    private static String sequence(List<String> values) {
        return values.stream().map(RedissonYaml::quoted).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }
}
