package io.github.jcacheredis.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a {@code redis-server} executable: the one on {@code PATH} (or {@code REDIS_SERVER_BIN}),
 * else the binary shipped inside the embedded-redis artifact (6.2, without {@code redis-cli}),
 * extracted once per JVM.
 */
public final class RedisBinary {

    private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)");

    private static volatile Path cached;
    private static volatile int[] version;

    private RedisBinary() {
    }

    public static Path redisServer() {
        Path path = cached;
        if (path == null) {
            synchronized (RedisBinary.class) {
                if (cached == null) {
                    cached = locate();
                }
                path = cached;
            }
        }
        return path;
    }

    /** True when the binary comes from {@code PATH}; the embedded fallback has no TLS support. */
    public static boolean isSystemBinary() {
        return !redisServer().toString().contains("embedded-redis-");
    }

    /** The major version of {@link #redisServer()}, from {@code redis-server --version}. */
    public static int majorVersion() {
        return version()[0];
    }

    /**
     * True when the server refuses DEBUG unless started with {@code --enable-debug-command}: 7.0
     * and newer. Older servers allow DEBUG and refuse that option.
     */
    public static boolean needsDebugSwitch() {
        return majorVersion() >= 7;
    }

    /**
     * The {@code redis-cli} in the same directory as {@link #redisServer()}, so that the two match;
     * empty for the embedded fallback, which ships none.
     */
    public static Optional<Path> redisCli() {
        Path cli = redisServer().resolveSibling("redis-cli");
        return Files.isExecutable(cli) ? Optional.of(cli) : Optional.empty();
    }

    private static int[] version() {
        int[] known = version;
        if (known == null) {
            known = readVersion(redisServer());
            version = known;
        }
        return known;
    }

    private static int[] readVersion(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            Matcher matcher = VERSION.matcher(text);
            if (!matcher.find()) {
                throw new IllegalStateException(binary + " --version printed no version: " + text);
            }
            return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + binary + " for its version", e);
        }
    }

    private static Path locate() {
        String explicit = System.getenv("REDIS_SERVER_BIN");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String pathVar = System.getenv("PATH");
        if (pathVar != null) {
            for (String dir : pathVar.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return extractEmbedded();
    }

    private static Path extractEmbedded() {
        String resource = embeddedResourceName();
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on PATH and no embedded binary " + resource
                        + " for this platform; install redis-server 6.2 or newer");
            }
            Path dir = Files.createTempDirectory("embedded-redis-");
            Path target = dir.resolve("redis-server");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + target + " executable");
            }
            dir.toFile().deleteOnExit();
            target.toFile().deleteOnExit();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract embedded redis-server", e);
        }
    }

    private static String embeddedResourceName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm");
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        throw new IllegalStateException("no embedded redis-server for " + os + "/" + arch);
    }
}
