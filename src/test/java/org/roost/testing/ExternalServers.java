package org.roost.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real database and directory servers for the tests (PostgreSQL, MariaDB, OpenLDAP), each a private instance on a
 * loopback port with its state in a temporary directory. A server that is not installed skips its tests with a
 * message, except under {@code CI=true}, where {@code .ci/run} installs it and its absence is a failure.
 */
public final class ExternalServers {
    private ExternalServers() {}

    /** The first of {@code candidates} (globs allowed in the last but one segment) that is executable. */
    static Path binary(String what, String... candidates) {
        for (var candidate : candidates) {
            var found = expand(candidate).filter(Files::isExecutable).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        var message = what + " is not installed (looked for " + String.join(", ", candidates)
                + "); .ci/run installs it with apt-get";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        assumeTrue(false, message);
        throw new IllegalStateException("unreachable");
    }

    /** {@code /usr/lib/postgresql/* /bin/initdb}: the newest version first. */
    private static Stream<Path> expand(String candidate) {
        int star = candidate.indexOf('*');
        if (star < 0) {
            return Stream.of(Path.of(candidate));
        }
        var parent = Path.of(candidate.substring(0, star));
        var rest = candidate.substring(candidate.indexOf('/', star) + 1);
        try (var children = Files.list(parent)) {
            return children.sorted(Comparator.comparing(Path::toString).reversed()).map(p -> p.resolve(rest)).toList()
                    .stream();
        } catch (IOException missing) {
            return Stream.empty();
        }
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A port free now on 127.0.0.1 (a server binds it a moment later; or nothing does: a closed port). */
    public static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs a command to its end (at most a minute) and fails with its output when it fails. */
    static String run(List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command + " exited " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    /** The command run as {@code user} when this JVM is root (servers that refuse to run as root). */
    static List<String> as(String user, List<String> command) {
        if (!root()) {
            return command;
        }
        var out = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        out.addAll(command);
        return out;
    }

    /** Waits until something accepts connections on the port (at most 60 s). */
    static void awaitPort(int port, Process process) throws IOException, InterruptedException {
        for (int i = 0; i < 600; i++) {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (process != null && !process.isAlive()) {
                    throw new IOException("the server exited with " + process.exitValue() + " before listening");
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("nothing listens on port " + port + " after 60 s");
    }
}
