package org.roost.storage.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.roost.testing.RawImapClient;
import org.roost.testing.ServerProcess;

/**
 * One Roost server process on a {@code postgres:} location (the {@code ROOST_MAIL_*} settings of
 * {@code environment}), with its own data directory and IMAP port under {@code dir}: a replica, as one pod of the
 * Deployment runs it. Users come from a passwd file with user {@code user}, password {@code secret}.
 */
final class Replica implements AutoCloseable {
    static final String PASSWORD = "secret";
    private final Path dir;
    private final Map<String, String> environment;
    private final Path config;
    private final int port;
    private Process process;

    Replica(Path dir, Map<String, String> environment, String user) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.environment = environment;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var passwd = Files.writeString(dir.resolve("passwd"), user + ":{PLAIN}" + PASSWORD + "::::::\n");
        config = Files.writeString(dir.resolve("roost.yaml"), """
                data: %s
                listeners:
                  imap: {address: 127.0.0.1, port: %d, enabled: true}
                  imaps: {address: 127.0.0.1, port: 0, enabled: false}
                  pop3: {address: 127.0.0.1, port: 0, enabled: false}
                  pop3s: {address: 127.0.0.1, port: 0, enabled: false}
                admin: {enabled: false}
                auth: {passwdFile: %s}
                """.formatted(dir.resolve("data"), port, passwd));
    }

    /** Starts the process; returns once it listens. */
    Replica start() throws IOException, InterruptedException {
        var java = ProcessHandle.current().info().command().orElse("java");
        var command = new java.util.ArrayList<>(List.of(java, "-Xmx256m"));
        var profile = System.getProperty("bench.replicaJfr"); // a directory: each replica records a JFR file there
        if (profile != null) {
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + profile + "/"
                    + dir.getFileName() + ".jfr");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.roost.server.Main", "serve",
                "--config", config.toString()));
        process = ServerProcess.start(command, dir.resolve("server.log"), port, environment);
        return this;
    }

    /** SIGKILL (on Linux): no shutdown hook, no goodbye. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** The CPU time the process spent so far (all its threads). */
    java.time.Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    /** A client that is logged in as {@code user}. */
    RawImapClient login(String user) throws IOException {
        var client = RawImapClient.connect("127.0.0.1", port);
        client.timeout(60_000);
        client.greeting();
        client.expectOk("LOGIN " + user + " " + PASSWORD);
        return client;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && System.getProperty("bench.replicaJfr") != null) {
            process.destroy(); // a graceful stop, so that the JVM writes its recording
            process.waitFor(60, TimeUnit.SECONDS);
        }
        kill();
    }
}
