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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.Dovecot;
import org.roost.testing.ExternalServers;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.PostgresServer;
import org.roost.testing.RawImapClient;

/**
 * The database store measured beside one Roost server on a Maildir and Dovecot on a Maildir. A measurement, not a
 * test: run it alone, under the bench lock with the lock's descriptor closed ({@code flock -o}); see BENCHMARKS.md for
 * the commands. CPU is the servers': Roost's JVMs, PostgreSQL's backends, Dovecot's processes (s3proxy runs in this
 * JVM and is not counted); database statements and transactions per command come from {@code pg_stat_statements}
 * and {@code pg_stat_database} (PostgreSQL is restarted once with the former loaded).
 *
 * <ul>
 * <li>{@link #replicasBesideMaildirAndDovecot}: two replicas without and with the body cache, the Maildir server and
 *     Dovecot: APPEND from four clients (the replicas: each client's mailbox filled through the other replica), IDLE
 *     wake-up on one server after an APPEND through another, and single-message STORE and FETCH BODY[] from four
 *     clients (two on each replica); then, with {@code -Dbench.big=N}, a cold replica's SELECT and
 *     {@code UID FETCH 1:* (UID FLAGS)} of a mailbox of N rows made in the database.</li>
 * <li>{@link #mixedLoadThroughOneTwoAndThreeReplicas}: the same mixed load from six clients through one, two and
 *     three replicas on one database.</li>
 * </ul>
 */
class ReplicaBenchmark {
    private static final String USER = "bench";
    private static final int CLIENTS = 4;
    private static final int MESSAGES = 200;
    private static final int COMMANDS = 400;
    private static final int WAKEUPS = 30;
    private static final int BODY = 4096;
    private static final int MIXED_CLIENTS = 6;
    private static final int MIXED_MESSAGES = 100;
    private static final int MIXED_ROUNDS = 50;
    @TempDir
    Path dir;
    private int dovecotPort;

    /** One system under test: where each client connects, the CPU its processes spent so far, its database. */
    private interface Servers {
        RawImapClient login(int client) throws IOException;

        Duration cpu();

        /** The database's statements and transactions so far; zeros for a system without one. */
        default DatabaseWork work() throws Exception {
            return new DatabaseWork(0, 0);
        }
    }

    /** Statements (each one round trip) and transactions a database ran. */
    private record DatabaseWork(long statements, long transactions) {
        DatabaseWork minus(DatabaseWork before) {
            return new DatabaseWork(statements - before.statements, transactions - before.transactions);
        }
    }

    @Test
    void replicasBesideMaildirAndDovecot() throws Exception {
        var database = MailDatabaseServers.shared();
        var postgres = countingStatements(database.postgres());
        for (var cache : List.of("0", Long.toString(256L * 1024 * 1024))) {
            var env = new HashMap<>(database.environment());
            env.put("ROOST_MAIL_POSTGRES_BODYCACHEBYTES", cache);
            var url = env.get("ROOST_MAIL_POSTGRES_URL");
            try (var one = new Replica(dir.resolve("one" + cache), env, USER).start();
                    var two = new Replica(dir.resolve("two" + cache), env, USER).start()) {
                measure("2 Roost replicas, PostgreSQL + S3, body cache " + cache, new Servers() {
                    public RawImapClient login(int client) throws IOException {
                        return (client % 2 == 0 ? one : two).login(USER);
                    }

                    public Duration cpu() {
                        return one.cpu().plus(two.cpu()).plus(treeCpu(postgres));
                    }

                    public DatabaseWork work() throws Exception {
                        return databaseWork(url);
                    }
                });
                if (Integer.getInteger("bench.big", 0) > 0 && !cache.equals("0")) {
                    coldSelect(env);
                }
            }
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
            }
            c.expectOk("CREATE Idle");
            c.expectOk("CREATE Warm");
        }
        warmUp(servers);
        // Client k fills client k+1's mailbox: on the replicas, through the other replica than the one reading it.
        var append = run(servers, CLIENTS, null, MESSAGES,
                (client, c, i) -> append(c, "Bench" + (client + 1) % CLIENTS, "bench " + i));
        var wake = idleWakeups(servers);
        var store = run(servers, CLIENTS, client -> "Bench" + client, COMMANDS, (client, c, i) -> c.expectOk(
                "UID STORE " + (1 + i % MESSAGES) + " " + (i / MESSAGES % 2 == 0 ? "+" : "-") + "FLAGS (\\Flagged)"));
        var fetch = run(servers, CLIENTS, client -> "Bench" + client, COMMANDS,
                (client, c, i) -> c.expectOk("UID FETCH " + (1 + i % MESSAGES) + " (FLAGS BODY.PEEK[])"));
        System.out.printf("BENCH %s: APPEND %s; IDLE wake-up after APPEND elsewhere: median %.1f ms, p90 %.1f ms,"
                + " max %.1f ms (from the APPEND's start; %d APPENDs); STORE %s; FETCH FLAGS BODY[] %s%n", name, append,
                wake[wake.length / 2], wake[wake.length * 9 / 10], wake[wake.length - 1], wake.length, store, fetch);
    }

    /** Unmeasured APPENDs and FETCHes on every server first, so that no figure counts the JIT compiling the code. */
    private static void warmUp(Servers servers) throws Exception {
        run(servers, CLIENTS, null, MESSAGES / 4, (client, c, i) -> append(c, "Warm", "warm " + client + " " + i));
        run(servers, CLIENTS, client -> "Warm", MESSAGES / 4, (client, c, i) -> {
            c.expectOk("FETCH " + (1 + i) + " (FLAGS BODY.PEEK[])");
            c.expectOk("STORE " + (1 + i) + " +FLAGS (\\Seen)");
        });
    }

    private static void append(RawImapClient c, String mailbox, String subject) throws IOException {
        var response = c.appendAtOnce(mailbox, "()", message(subject));
        if (!response.ok()) {
            throw new IOException("APPEND refused: " + response);
        }
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
                append(writer, "Idle", "idle " + i);
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

    /** Commands per second, and per command the servers' CPU and the database's statements and transactions. */
    private record Result(double rate, double cpuMillis, double statements, double transactions) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f/s, %.2f ms server CPU, %.2f statements, %.2f transactions each",
                    rate, cpuMillis, statements, transactions);
        }
    }

    /** One command of client {@code client}'s {@code i}th. */
    private interface Command {
        void run(int client, RawImapClient c, int i) throws IOException;
    }

    /**
     * {@code clients} clients, each having selected {@code mailbox.apply(client)} (unless null), run {@code command}
     * {@code count} times at once.
     */
    private static Result run(Servers servers, int clients, IntFunction<String> mailbox, int count, Command command)
            throws Exception {
        var connected = new ArrayList<RawImapClient>();
        try {
            for (int client = 0; client < clients; client++) {
                var c = servers.login(client);
                connected.add(c);
                if (mailbox != null) {
                    c.expectOk("SELECT " + mailbox.apply(client));
                }
            }
            var workBefore = servers.work();
            var cpuBefore = servers.cpu();
            long start = System.nanoTime();
            try (var pool = Executors.newFixedThreadPool(clients)) {
                var tasks = new ArrayList<Callable<Void>>();
                for (int client = 0; client < clients; client++) {
                    int k = client;
                    tasks.add(() -> {
                        for (int i = 0; i < count; i++) {
                            command.run(k, connected.get(k), i);
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
            var work = servers.work().minus(workBefore);
            int done = clients * count;
            return new Result(done / seconds, cpu / done, (double) work.statements() / done,
                    (double) work.transactions() / done);
        } finally {
            for (var c : connected) {
                c.close();
            }
        }
    }

    /**
     * Six clients, each on its own mailbox of {@value #MIXED_MESSAGES} messages filled through another replica than
     * its own (when there are several), through 1, 2 and 3 replicas on one database: rounds of one APPEND, three
     * single-message FETCH BODY[], two STOREs, a NOOP and a STATUS.
     */
    @Test
    void mixedLoadThroughOneTwoAndThreeReplicas() throws Exception {
        var database = MailDatabaseServers.shared();
        var postgres = countingStatements(database.postgres());
        for (int count = 1; count <= 3; count++) {
            var env = database.environment();
            var url = env.get("ROOST_MAIL_POSTGRES_URL");
            var replicas = new ArrayList<Replica>();
            try {
                for (int r = 0; r < count; r++) {
                    replicas.add(new Replica(dir.resolve("mixed" + count + "-" + r), env, USER).start());
                }
                var servers = new Servers() {
                    public RawImapClient login(int client) throws IOException {
                        return replicas.get(client % replicas.size()).login(USER);
                    }

                    public Duration cpu() {
                        var total = treeCpu(postgres);
                        for (var replica : replicas) {
                            total = total.plus(replica.cpu());
                        }
                        return total;
                    }

                    public DatabaseWork work() throws Exception {
                        return databaseWork(url);
                    }
                };
                try (var c = servers.login(0)) {
                    for (int client = 0; client < MIXED_CLIENTS; client++) {
                        c.expectOk("CREATE Mixed" + client);
                    }
                    c.expectOk("CREATE Warm");
                }
                warmUp(servers);
                run(servers, MIXED_CLIENTS, null, MIXED_MESSAGES,
                        (client, c, i) -> append(c, "Mixed" + (client + 1) % MIXED_CLIENTS, "mixed " + i));
                var first = run(servers, MIXED_CLIENTS, client -> "Mixed" + client, 1,
                        (client, c, i) -> c.expectOk("FETCH 1:* (FLAGS BODY.PEEK[])"));
                var mixed = run(servers, MIXED_CLIENTS, client -> "Mixed" + client, MIXED_ROUNDS * 8,
                        ReplicaBenchmark::mixedCommand);
                System.out.printf("BENCH mixed load, %d replica(s), %d clients, %d commands: %s (before it, each"
                        + " client's FETCH 1:* (FLAGS BODY.PEEK[]) of %d messages: %s)%n", count, MIXED_CLIENTS,
                        MIXED_CLIENTS * MIXED_ROUNDS * 8, mixed, MIXED_MESSAGES, first);
            } finally {
                for (var replica : replicas) {
                    replica.close();
                }
            }
        }
    }

    /** Command {@code i} of a round of eight on client {@code client}'s selected mailbox Mixed{@code client}. */
    private static void mixedCommand(int client, RawImapClient c, int i) throws IOException {
        int uid = 1 + (i * 37) % MIXED_MESSAGES;
        switch (i % 8) {
            case 0 -> append(c, "Mixed" + client, "round " + i);
            case 1, 3, 5 -> c.expectOk("UID FETCH " + uid + " (FLAGS BODY.PEEK[])");
            case 2, 6 -> c.expectOk("UID STORE " + uid + " " + (i % 16 < 8 ? "+" : "-") + "FLAGS (\\Seen)");
            case 4 -> c.expectOk("NOOP");
            default -> c.expectOk("STATUS Mixed" + (client + 1) % MIXED_CLIENTS + " (MESSAGES UNSEEN)");
        }
    }

    /**
     * Loads {@code pg_stat_statements} into {@code postgres} (a restart, once per cluster) and returns its
     * postmaster.
     */
    private static ProcessHandle countingStatements(PostgresServer postgres) throws Exception {
        var url = postgres.url("postgres");
        try (var db = DriverManager.getConnection(url, "postgres", PostgresServer.SUPERUSER_PASSWORD);
                var rows = db.createStatement().executeQuery("SHOW shared_preload_libraries")) {
            rows.next();
            if (!rows.getString(1).contains("pg_stat_statements")) {
                db.createStatement().execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
                postgres.kill();
                postgres.startAgain();
            }
        }
        return postmaster(url);
    }

    /** Statements ({@code pg_stat_statements}, this benchmark's own left out) and transactions of {@code url}'s database. */
    private static DatabaseWork databaseWork(String url) throws Exception {
        Thread.sleep(1000); // pg_stat_database's counters lag by up to 500 ms
        try (var db = DriverManager.getConnection(url, "postgres", PostgresServer.SUPERUSER_PASSWORD);
                var s = db.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            long statements;
            try (var rows = s.executeQuery("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    + " AND query NOT LIKE '%pg_stat%' AND query NOT LIKE '%EXTENSION%'")) {
                rows.next();
                statements = rows.getLong(1);
            }
            try (var rows = s.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
                rows.next();
                return new DatabaseWork(statements, rows.getLong(1));
            }
        }
    }

    /** A mailbox of {@code bench.big} rows made in the database, opened by a replica that never saw it. */
    private void coldSelect(Map<String, String> env) throws Exception {
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
    static ProcessHandle postmaster(String url) throws Exception {
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
