package org.roost.storage.postgres;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.Dovecot;
import org.roost.testing.ExternalServers;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.PostgresServer;
import org.roost.testing.RawImapClient;

/**
 * Two Roost replicas (separate JVMs) on one PostgreSQL and one s3proxy, beside one Roost server on a Maildir and
 * Dovecot on a Maildir: IDLE wake-up on one server after an APPEND through another (the replicas: through the other
 * replica), and single-message STORE and FETCH throughput from four clients (the replicas: two clients on each), with
 * the servers' CPU per command (Roost's JVMs, PostgreSQL's backends, Dovecot's processes; s3proxy runs in this JVM and
 * is not counted); then a cold third replica's SELECT and {@code UID FETCH 1:* (UID FLAGS)} of a mailbox of
 * {@code -Dbench.big} (200,000) rows made in the database. A measurement, not a test: run it alone, under the
 * bench lock with the lock's descriptor closed ({@code flock -o}); see BENCHMARKS.md for the command.
 */
class ReplicaBenchmark {
    private static final String USER = "bench";
    private static final int CLIENTS = 4;
    private static final int MESSAGES = 200;
    private static final int COMMANDS = 400;
    private static final int WAKEUPS = 30;
    private static final int BODY = 4096;
    @TempDir
    Path dir;
    private int dovecotPort;

    /** One system under test: where each client connects, and the CPU its processes spent so far. */
    private interface Servers {
        RawImapClient login(int client) throws IOException;

        Duration cpu();
    }

    @Test
    void replicasBesideMaildirAndDovecot() throws Exception {
        var database = MailDatabaseServers.shared();
        var env = database.environment();
        var postgres = postmaster(database.postgres(), env.get("ROOST_MAIL_POSTGRES_URL"));
        try (var one = new Replica(dir.resolve("one"), env, USER).start();
                var two = new Replica(dir.resolve("two"), env, USER).start()) {
            measure("2 Roost replicas, PostgreSQL + S3", new Servers() {
                public RawImapClient login(int client) throws IOException {
                    return (client % 2 == 0 ? one : two).login(USER);
                }

                public Duration cpu() {
                    return one.cpu().plus(two.cpu()).plus(treeCpu(postgres));
                }
            });
            coldSelect(env, database.postgres());
        }
        var maildir = Map.of("ROOST_MAIL_LOCATION", "maildir:" + dir.resolve("roost-mail") + "/%u",
                "ROOST_MAIL_FSYNC", "true");
        try (var single = new Replica(dir.resolve("maildir"), maildir, USER).start()) {
            measure("1 Roost server, Maildir", new Servers() {
                public RawImapClient login(int client) throws IOException {
                    return single.login(USER);
                }

                public Duration cpu() {
                    return single.cpu();
                }
            });
        }
        var dovecot = startDovecot();
        try {
            int port = dovecotPort;
            measure("Dovecot, Maildir", new Servers() {
                public RawImapClient login(int client) throws IOException {
                    var c = RawImapClient.connect("127.0.0.1", port);
                    c.timeout(60_000);
                    c.greeting();
                    c.expectOk("LOGIN " + USER + " " + Replica.PASSWORD);
                    return c;
                }

                public Duration cpu() {
                    return treeCpu(dovecot.toHandle());
                }
            });
        } finally {
            dovecot.destroy();
            dovecot.waitFor();
        }
    }

    private void measure(String name, Servers servers) throws Exception {
        try (var c = servers.login(0)) {
            for (int client = 0; client < CLIENTS; client++) {
                c.expectOk("CREATE Bench" + client);
                for (int i = 0; i < MESSAGES; i++) {
                    c.appendAtOnce("Bench" + client, "()", message(client + "-" + i));
                }
            }
            c.expectOk("CREATE Idle");
        }
        var wake = idleWakeups(servers);
        var store = run(servers, (c, i) -> c.expectOk("UID STORE " + (1 + i % MESSAGES) + " " + (i / MESSAGES % 2 == 0
                ? "+" : "-") + "FLAGS (\\Flagged)"));
        var fetch = run(servers, (c, i) -> c.expectOk("UID FETCH " + (1 + i % MESSAGES) + " (FLAGS BODY.PEEK[])"));
        System.out.printf("BENCH %s: IDLE wake-up after APPEND elsewhere: median %.1f ms, p90 %.1f ms, max %.1f ms"
                + " (from the APPEND's start; %d APPENDs); STORE %.0f/s, %.2f ms server CPU each; FETCH FLAGS BODY[]"
                + " %.0f/s, %.2f ms server CPU each%n", name, wake[wake.length / 2], wake[wake.length * 9 / 10],
                wake[wake.length - 1], wake.length, store.rate(), store.cpuMillis(), fetch.rate(), fetch.cpuMillis());
    }

    /** APPENDs through client 0's server, each awaited by an IDLE on client 1's; the sorted latencies in ms. */
    private static double[] idleWakeups(Servers servers) throws Exception {
        try (var writer = servers.login(0); var idler = servers.login(1)) {
            idler.expectOk("SELECT Idle");
            idler.send("i1 IDLE");
            idler.readLine();
            var latencies = new double[WAKEUPS];
            for (int i = 0; i < WAKEUPS; i++) {
                long start = System.nanoTime();
                writer.appendAtOnce("Idle", "()", message("idle " + i));
                var exists = "* " + (i + 1) + " EXISTS";
                for (String line = idler.readLine(); !line.equals(exists); line = idler.readLine()) {
                    // \Recent and other untagged updates
                }
                latencies[i] = (System.nanoTime() - start) / 1e6;
            }
            idler.send("DONE");
            idler.readUntilTagged("i1");
            Arrays.sort(latencies);
            return latencies;
        }
    }

    private record Result(double rate, double cpuMillis) {}

    private interface Command {
        void run(RawImapClient client, int i) throws IOException;
    }

    private static Result run(Servers servers, Command command) throws Exception {
        var clients = new ArrayList<RawImapClient>();
        try {
            for (int client = 0; client < CLIENTS; client++) {
                var c = servers.login(client);
                clients.add(c);
                c.expectOk("SELECT Bench" + client);
            }
            var cpuBefore = servers.cpu();
            long start = System.nanoTime();
            try (var pool = Executors.newFixedThreadPool(CLIENTS)) {
                var tasks = new ArrayList<Callable<Void>>();
                for (var c : clients) {
                    tasks.add(() -> {
                        for (int i = 0; i < COMMANDS; i++) {
                            command.run(c, i);
                        }
                        return null;
                    });
                }
                for (var f : pool.invokeAll(tasks)) {
                    f.get();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = servers.cpu().minus(cpuBefore).toNanos() / 1e6;
            int done = CLIENTS * COMMANDS;
            return new Result(done / seconds, cpu / done);
        } finally {
            for (var c : clients) {
                c.close();
            }
        }
    }

    /** A mailbox of {@code bench.big} rows made in the database, opened by a replica that never saw it. */
    private void coldSelect(Map<String, String> env, PostgresServer postgres) throws Exception {
        int big = Integer.getInteger("bench.big", 200_000);
        try (var maker = new Replica(dir.resolve("maker"), env, USER).start(); var c = maker.login(USER)) {
            c.expectOk("CREATE Big");
        }
        var url = env.get("ROOST_MAIL_POSTGRES_URL");
        try (var db = DriverManager.getConnection(url, "postgres", PostgresServer.SUPERUSER_PASSWORD);
                var s = db.createStatement()) {
            s.execute("INSERT INTO messages (mailbox_id, uid, body_key, flags, modseq, internal_date, physical_size,"
                    + " virtual_size) SELECT b.id, g, m.body_key, g % 4, 2 + g / 1000, now(), m.physical_size,"
                    + " m.virtual_size FROM generate_series(1, " + big + ") g,"
                    + " (SELECT body_key, physical_size, virtual_size FROM messages LIMIT 1) m,"
                    + " (SELECT id FROM mailboxes WHERE name = 'Big') b");
            s.execute("UPDATE mailboxes SET uid_next = " + (big + 1) + ", highest_modseq = " + (3 + big / 1000)
                    + " WHERE name = 'Big'");
            s.execute("ANALYZE messages");
        }
        try (var cold = new Replica(dir.resolve("cold"), env, USER).start()) {
            for (var round : List.of("cold", "again")) {
                try (var c = cold.login(USER)) {
                    long start = System.nanoTime();
                    c.expectOk("SELECT Big");
                    double select = (System.nanoTime() - start) / 1e6;
                    start = System.nanoTime();
                    int lines = c.expectOk("UID FETCH 1:* (UID FLAGS)").untagged().size();
                    double fetch = (System.nanoTime() - start) / 1e6;
                    System.out.printf("BENCH replica %s: SELECT of %d messages %.0f ms, UID FETCH 1:* (UID FLAGS)"
                            + " %.0f ms (%d lines)%n", round, big, select, fetch, lines);
                }
            }
        }
    }

    /** Dovecot's master as a daemon on a loopback port, over a Maildir of its own, user {@value #USER}. */
    private Process startDovecot() throws Exception {
        Dovecot.require();
        var home = Files.createDirectories(dir.resolve("dovecot"));
        Files.createDirectories(home.resolve("run"));
        Files.createDirectories(home.resolve("state"));
        Files.createDirectories(home.resolve("mail"));
        var passwd = Files.writeString(home.resolve("passwd"), USER + ":{PLAIN}" + Replica.PASSWORD + "::::::\n");
        new ProcessBuilder("chown", "-R", "65534:65534", home.resolve("mail").toString()).inheritIO().start().waitFor();
        new ProcessBuilder("chmod", "o+rx", dir.toString(), home.toString()).inheritIO().start().waitFor();
        dovecotPort = ExternalServers.freePort();
        var config = Files.writeString(home.resolve("dovecot.conf"), """
                base_dir = %1$s/run
                state_dir = %1$s/state
                log_path = %1$s/dovecot.log
                instance_name = roost-replica-bench-%2$d
                ssl = no
                protocols = imap
                listen = 127.0.0.1
                disable_plaintext_auth = no
                auth_mechanisms = plain
                mail_location = maildir:%1$s/mail/%%u
                mail_fsync = always
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN %3$s
                }
                userdb {
                  driver = static
                  args = uid=65534 gid=65534 home=%1$s/mail/%%u
                }
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = %2$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                """.formatted(home, dovecotPort, passwd));
        var process = new ProcessBuilder("dovecot", "-F", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("stdout").toFile()).start();
        for (int i = 0; i < 600; i++) {
            try (var socket = new Socket("127.0.0.1", dovecotPort)) {
                return process;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroy();
        throw new IOException("Dovecot did not listen: " + Files.readString(home.resolve("stdout")));
    }

    /** PostgreSQL's postmaster, from the pid file of the cluster serving {@code url}. */
    static ProcessHandle postmaster(PostgresServer postgres, String url) throws Exception {
        try (var db = DriverManager.getConnection(url, "postgres", PostgresServer.SUPERUSER_PASSWORD);
                var rows = db.createStatement().executeQuery("SELECT current_setting('data_directory')")) {
            rows.next();
            var pid = Files.readAllLines(Path.of(rows.getString(1)).resolve("postmaster.pid")).getFirst().trim();
            return ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        }
    }

    /** CPU of a process and its live descendants (PostgreSQL's backends, Dovecot's imap processes). */
    static Duration treeCpu(ProcessHandle root) {
        var total = root.info().totalCpuDuration().orElse(Duration.ZERO);
        for (var child : root.descendants().toList()) {
            total = total.plus(child.info().totalCpuDuration().orElse(Duration.ZERO));
        }
        return total;
    }

    private static byte[] message(String subject) {
        var line = "x".repeat(76) + "\r\n";
        return ("Subject: bench " + subject + "\r\nFrom: a@example.org\r\n\r\n" + line.repeat(BODY / line.length()))
                .getBytes(StandardCharsets.US_ASCII);
    }
}
