package org.roost.storage.postgres;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.PostgresServer;
import org.roost.testing.TestServer;

/**
 * APPEND and FETCH BODY[] throughput of the database store beside Maildir, through IMAP from four clients, with the
 * CPU the test JVM spent per command (server and clients; PostgreSQL and s3proxy's own CPU apart) and the database
 * transactions per command. A measurement, not a test (no assertion): run it alone, under the bench lock:
 * {@code flock /tmp/bench.lock mvn -B -q test -Dtest=PostgresStoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PostgresStoreBenchmark {
    private static final int CLIENTS = 4;
    private static final int PER_CLIENT = 500;
    private static final int BODY = 4096;
    @TempDir
    Path dir;

    @Test
    void appendAndFetch() throws Exception {
        var servers = MailDatabaseServers.shared();
        measure("maildir", Map.of("ROOST_MAIL_LOCATION", "maildir:" + dir.resolve("maildir") + "/%u"), null);
        var env = servers.environment();
        measure("postgres", env, env.get("ROOST_MAIL_POSTGRES_URL"));
    }

    private void measure(String name, Map<String, String> location, String url) throws Exception {
        var env = new HashMap<>(location);
        env.put("ROOST_MAIL_FSYNC", "true");
        var home = Files.createDirectories(dir.resolve(name));
        var passwd = new StringBuilder();
        for (int i = 0; i < CLIENTS; i++) {
            passwd.append(user(i)).append(":{PLAIN}").append(TestServer.PASSWORD).append("::::::\n");
        }
        Files.writeString(home.resolve("passwd"), passwd);
        try (var server = TestServer.start(home, env)) {
            run(name + " warm-up APPEND", server, url, c -> append(server, c, 50));
            var append = run(name + " APPEND", server, url, c -> append(server, c, PER_CLIENT));
            var fetch = run(name + " FETCH BODY[]", server, url, c -> fetch(server, c));
            System.out.printf("BENCH %s: APPEND %.0f/s (%.2f ms CPU, %.2f transactions each); FETCH BODY[] %.0f"
                    + " messages/s (%.2f ms CPU, %.3f transactions each)%n", name, append.rate(), append.cpuMillis(),
                    append.transactions(), fetch.rate(), fetch.cpuMillis(), fetch.transactions());
        }
    }

    private record Result(double rate, double cpuMillis, double transactions) {}

    private interface Client {
        int run(int client) throws Exception;
    }

    private Result run(String label, TestServer server, String url, Client work) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long commitsBefore = commits(url);
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        int done = 0;
        try (var pool = Executors.newFixedThreadPool(CLIENTS)) {
            var tasks = new ArrayList<Callable<Integer>>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                tasks.add(() -> work.run(client));
            }
            for (var f : pool.invokeAll(tasks)) {
                done += f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e6;
        long commits = commits(url) - commitsBefore;
        return new Result(done / seconds, cpu / done, url == null ? 0 : (double) commits / done);
    }

    /** Transactions the database committed so far (pg_stat_database; its counters lag by up to 500 ms). */
    private static long commits(String url) throws Exception {
        if (url == null) {
            return 0;
        }
        Thread.sleep(1000);
        try (var c = DriverManager.getConnection(url, "postgres", PostgresServer.SUPERUSER_PASSWORD);
                var rows = c.createStatement().executeQuery(
                        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String user(int client) {
        return "bench" + client;
    }

    private static String mailbox(int client) {
        return "Bench" + client;
    }

    private static int append(TestServer server, int client, int count) throws Exception {
        try (var c = server.login(user(client))) {
            c.run("CREATE " + mailbox(client));
            var body = "x".repeat(76) + "\r\n";
            for (int i = 0; i < count; i++) {
                var message = ("Subject: bench " + client + " " + i + "\r\n\r\n" + body.repeat(BODY / body.length()))
                        .getBytes(StandardCharsets.US_ASCII);
                c.appendAtOnce(mailbox(client), "()", message);
            }
        }
        return count;
    }

    private static int fetch(TestServer server, int client) throws Exception {
        try (var c = server.login(user(client))) {
            var r = c.expectOk("EXAMINE " + mailbox(client));
            var exists = r.untagged().stream().filter(l -> l.endsWith(" EXISTS")).findFirst().orElseThrow();
            int count = Integer.parseInt(exists.split(" ")[1]);
            c.expectOk("FETCH 1:* (BODY.PEEK[])");
            return count;
        }
    }
}
