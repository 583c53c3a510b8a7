package io.github.jcacheredis.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.testsupport.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of the test class path, for tests that need two processes or
 * a constrained heap. The child prints {@code ready} (everything before it is start-up output),
 * then either waits for {@link #go()} and prints {@code done} when it finished well, or talks with
 * the test in lines ({@link #send}, {@link #readLine}). It can be frozen with SIGSTOP and thawed with
 * SIGCONT, as a long GC pause or a suspended container would freeze an instance.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

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

    public long pid() {
        return process.pid();
    }

    /** Lets the child start its work. */
    public void go() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
    }

    /** Writes {@code line} to the child's standard input. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the child JVM " + pid(), e);
        }
    }

    /** The next line of the child's output (standard output and error), or null once it has exited. */
    public String readLine() throws IOException {
        return output.readLine();
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

    /** Freezes the child (SIGSTOP) and returns once the operating system reports it stopped. */
    public void pause() {
        signal("STOP");
        Await.until("child JVM " + pid() + " is stopped", SIGNAL_TIMEOUT, this::isPaused);
    }

    /** Thaws the child (SIGCONT) and returns once it runs again. */
    public void resume() {
        signal("CONT");
        Await.until("child JVM " + pid() + " runs again", SIGNAL_TIMEOUT, () -> !isPaused());
    }

    /** Whether the process is stopped by a signal. */
    public boolean isPaused() {
        return processState() == 'T';
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the child to exit by itself; returns whether it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills the child at once (SIGKILL ends a stopped process too). */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).redirectErrorStream(true).start();
            String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed: " + said);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the child JVM", e);
        }
    }

    /** The state letter of the process: {@code /proc/<pid>/stat} on Linux, {@code ps} elsewhere. */
    private char processState() {
        try {
            Path stat = Path.of("/proc", String.valueOf(pid()), "stat");
            if (Files.exists(stat)) {
                String text = Files.readString(stat);
                return text.charAt(text.lastIndexOf(')') + 2); // the command name may hold spaces and parentheses
            }
            Process ps = new ProcessBuilder("ps", "-o", "stat=", "-p", String.valueOf(pid())).start();
            String state = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            ps.waitFor();
            return state.isEmpty() ? '?' : state.charAt(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of process " + pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a process state", e);
        }
    }
}
