package org.roost.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A python3 script from {@code src/test/resources} run as a client, its output read line by line. */
public final class PythonScript implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    private final List<String> lines = new ArrayList<>();

    private PythonScript(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code src/test/resources/<resource>} with {@code args}; standard error is merged into the output. */
    public static PythonScript start(String resource, String... args) throws IOException {
        var command = new ArrayList<>(List.of("python3", Path.of("src/test/resources", resource).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return new PythonScript(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The next output line; fails when the script ended without printing it. */
    public String nextLine() throws IOException {
        var line = output.readLine();
        if (line == null) {
            throw new AssertionError("the script ended; its output: " + lines);
        }
        lines.add(line);
        return line;
    }

    /** Waits for the script to end (the caller's test timeout guards a hang) and returns its exit code. */
    public int exitCode() throws IOException, InterruptedException {
        for (var line = output.readLine(); line != null; line = output.readLine()) {
            lines.add(line);
        }
        return process.waitFor();
    }

    /** Every line printed so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
