package org.roost.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB ({@code mariadb-install-db} + {@code mariadbd}) with its own data directory, socket and
 * loopback port. Statements run as root over the socket with the {@code mariadb} client.
 */
public final class MariaDbServer implements AutoCloseable {
    private final Path mariadbd;
    private final Path client;
    private final Path dir;
    private final int port;
    private Process process;

    private MariaDbServer(Path mariadbd, Path client, Path dir, int port) {
        this.mariadbd = mariadbd;
        this.client = client;
        this.dir = dir;
        this.port = port;
    }

    public static MariaDbServer start(Path parent) throws IOException, InterruptedException {
        var mariadbd = ExternalServers.binary("MariaDB (Debian package mariadb-server)", "/usr/sbin/mariadbd");
        var install = ExternalServers.binary("mariadb-install-db", "/usr/bin/mariadb-install-db");
        var client = ExternalServers.binary("the mariadb client", "/usr/bin/mariadb");
        var dir = Files.createDirectories(parent.resolve("mariadb"));
        var command = new ArrayList<>(List.of(install.toString(), "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--auth-root-authentication-method=socket", "--skip-test-db"));
        if (ExternalServers.root()) {
            command.add("--user=root");
        }
        ExternalServers.run(command);
        var server = new MariaDbServer(mariadbd, client, dir, ExternalServers.freePort());
        server.startAgain();
        return server;
    }

    public void startAgain() throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--socket=" + dir.resolve("mariadb.sock"), "--port=" + port, "--bind-address=127.0.0.1",
                "--pid-file=" + dir.resolve("mariadb.pid"), "--log-error=" + dir.resolve("error.log"),
                "--skip-name-resolve", "--innodb-buffer-pool-size=16M", "--skip-log-bin", "--max-connections=200"));
        if (ExternalServers.root()) {
            command.add("--user=root");
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        ExternalServers.awaitPort(port, process);
        awaitReady();
    }

    /**
     * The port opens before MariaDB serves logins (after a kill, crash recovery runs first): ready is when a query
     * over the socket answers.
     */
    private void awaitReady() throws IOException, InterruptedException {
        for (int i = 0; ; i++) {
            try {
                execute("SELECT 1");
                return;
            } catch (IOException notYet) {
                if (i == 300 || !process.isAlive()) {
                    throw new IOException("MariaDB did not become ready:\n" + errorLog(), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    /** The end of the server's error log, for a failure message. */
    public String errorLog() throws IOException {
        var log = dir.resolve("error.log");
        if (!Files.exists(log)) {
            return "(no error log)";
        }
        var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** SIGKILL: connections break at once, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    public String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    /** Runs SQL as root over the socket. */
    public String execute(String sql) throws IOException, InterruptedException {
        var process = new ProcessBuilder(client.toString(), "--no-defaults", "--socket=" + dir.resolve("mariadb.sock"),
                "-u", "root", "--batch", "--skip-column-names").redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(sql.getBytes(StandardCharsets.UTF_8));
        }
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("mariadb client failed: " + output);
        }
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
