package org.roost.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Roost server in a child process, for the tests that kill it: started with {@code command}, none of the test
 * JVM's {@code ROOST_*} variables and no ahead-of-time cache (a killed run must not train one), its output
 * appended to {@code log}; returned once it accepts connections on {@code port}.
 */
public final class ServerProcess {
    private static final long START_SECONDS = 120;

    private ServerProcess() {}

    public static Process start(List<String> command, Path log, int port) throws IOException, InterruptedException {
        return start(command, log, port, Map.of());
    }

    /** {@link #start(List, Path, int)} with {@code environment} ({@code ROOST_*} overrides) added. */
    public static Process start(List<String> command, Path log, int port, Map<String, String> environment)
            throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("ROOST_"));
        builder.environment().put("ROOST_AOT", "off");
        builder.environment().putAll(environment);
        var process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited: " + Files.readString(log));
            }
            try (var probe = new Socket("127.0.0.1", port)) {
                return process;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the server did not listen on " + port + ": " + Files.readString(log));
    }
}
