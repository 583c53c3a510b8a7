package io.github.jcacheredis.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of the test class path, for tests that need two processes or
 * a constrained heap. The child prints {@code ready}, waits for {@link #go()}, and prints
 * {@code done} when it finished well.
 */
public final class ChildJvm {

    private final Process process;
    private final BufferedReader output;

    private ChildJvm(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", mainClass.getName()));
        command.addAll(List.of(args));
        ChildJvm child = new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = child.output.readLine()) != null && !line.equals("ready")) {
            seen.append(line).append('\n');
        }
        assertEquals("ready", line, "the child JVM did not start: " + seen);
        return child;
    }

    /** Lets the child start its work. */
    public void go() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
    }

    /** Waits for the child to finish well; returns what it printed after {@code ready}. */
    public String awaitDone(long timeoutSeconds) throws Exception {
        assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), "the child JVM did not finish");
        StringBuilder rest = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
            rest.append(line).append('\n');
        }
        assertEquals(0, process.exitValue(), rest.toString());
        assertTrue(rest.toString().contains("done"), rest.toString());
        return rest.toString();
    }
}
