package io.github.jcacheredis.keyv;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Node.js side of the interoperability test: keyv and {@code @keyv/redis}, installed with the
 * machine's npm into {@code target/keyv-interop} from {@code src/test/node/keyv-interop}, driven one
 * operation per {@code node} process. Without node or npm the test fails on CI (the environment
 * variable {@code CI} is set) and is skipped, saying why, elsewhere.
 */
final class KeyvNode {

    private static final Path SOURCES = Path.of(System.getProperty("basedir", "."), "src", "test", "node", "keyv-interop");
    private static final Path INSTALL = Path.of(System.getProperty("basedir", "."), "target", "keyv-interop");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String redisUrl;

    private KeyvNode(String redisUrl) {
        this.redisUrl = redisUrl;
    }

    /** keyv installed and ready against {@code redisUrl}; skips or fails the test when node or npm is missing. */
    static KeyvNode install(String redisUrl) {
        try {
            Files.createDirectories(INSTALL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requireTool("node");
        requireTool("npm");
        try {
            for (String file : List.of("package.json", "keyv-cli.mjs")) {
                Files.copy(SOURCES.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isRegularFile(INSTALL.resolve("node_modules/@keyv/redis/package.json"))) {
            Result npm = run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-package-lock"), 300);
            if (npm.exit != 0) {
                fail("npm install of keyv and @keyv/redis in " + INSTALL + " failed: " + npm.output);
            }
        }
        return new KeyvNode(redisUrl);
    }

    /** keyv.set(key, value, ttl) in {@code namespace}; {@code {"$date": iso}} in the JSON is a Date. */
    void set(String namespace, String key, String json, Long ttlMillis) {
        List<String> args = new ArrayList<>(List.of("set", key, json));
        if (ttlMillis != null) {
            args.add(Long.toString(ttlMillis));
        }
        keyv(namespace, args);
    }

    /** What keyv.get(key) returns in {@code namespace}: {@code {"found":..,"value":..,"types":{..}}}. */
    JsonNode get(String namespace, String key) {
        return keyv(namespace, List.of("get", key));
    }

    private JsonNode keyv(String namespace, List<String> operation) {
        List<String> command = new ArrayList<>(List.of("node", "keyv-cli.mjs", redisUrl, namespace));
        command.addAll(operation);
        Result result = run(command, 60);
        if (result.exit != 0) {
            fail("keyv " + operation + " failed: " + result.output);
        }
        try {
            return JSON.readTree(result.output.lines().reduce((first, last) -> last).orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException("keyv printed no JSON: " + result.output, e);
        }
    }

    private static void requireTool(String tool) {
        boolean present;
        try {
            present = run(List.of(tool, "--version"), 60).exit == 0;
        } catch (UncheckedIOException notFound) {
            present = false;
        }
        if (present) {
            return;
        }
        String message = "the keyv interoperability test needs " + tool + " (Node.js 18 or later with npm) on the PATH";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            fail(message + "; CI must provide it");
        }
        Assumptions.abort(message + "; skipped outside CI");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, long timeoutSeconds) {
        try {
            Path log = Files.createTempFile("keyv-node-", ".log");
            Process process = new ProcessBuilder(command).directory(INSTALL.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish in " + timeoutSeconds + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
