package org.roost.storage.postgres;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.PostgresServer;
import org.roost.testing.RawImapClient;

/**
 * A replica that has never seen a mailbox of {@code -Dbench.big} (1,000,000) messages made directly in the database
 * (one INSERT ... SELECT; the newest 100 unseen, one in 1,000 with a keyword): its first SELECT, its first
 * {@code UID FETCH 1:* (UID FLAGS)}, both again in a second session, then a flag change and an APPEND made through
 * another replica as the cold one sees them at its next NOOP. Wall time, and the CPU of the replica's JVM and of
 * PostgreSQL's backends. A measurement, not a test: run it alone, under the bench lock with the lock's descriptor
 * closed ({@code flock -o}); see BENCHMARKS.md for the command.
 */
class ColdReplicaBenchmark {
    private static final String USER = "bench";
    @TempDir
    Path dir;

    @Test
    void coldReplicaOfAMillionMessages() throws Exception {
        int big = Integer.getInteger("bench.big", 1_000_000);
        var database = MailDatabaseServers.shared();
        var env = database.environment();
        var url = env.get("ROOST_MAIL_POSTGRES_URL");
        var postgres = ReplicaBenchmark.postmaster(url);
        try (var maker = new Replica(dir.resolve("maker"), env, USER).start()) {
            try (var c = maker.login(USER)) {
                c.expectOk("CREATE Big");
                c.append("INBOX", "Subject: the body every row shares\r\n\r\nbody\r\n");
            }
            long start = System.nanoTime();
            fill(url, big);
            System.out.printf("BENCH made %d rows in the database in %.1f s%n", big, (System.nanoTime() - start) / 1e9);
            try (var cold = new Replica(dir.resolve("cold"), env, USER).start()) {
                warmUp(maker, cold);
                for (var round : List.of("cold", "again")) {
                    try (var c = cold.login(USER)) {
                        var select = measure(cold, postgres, () -> c.expectOk("SELECT Big"));
                        var first = new long[1];
                        var fetch = measure(cold, postgres, () -> untilFirstLine(c, "UID FETCH 1:* (UID FLAGS)", first));
                        System.out.printf("BENCH %s replica, %d messages: SELECT %s; UID FETCH 1:* (UID FLAGS) %s,"
                                + " first line after %.0f ms%n", round, big, select, fetch, first[0] / 1e6);
                    }
                }
                try (var c = cold.login(USER); var other = maker.login(USER)) {
                    c.expectOk("SELECT Big");
                    other.expectOk("SELECT Big");
                    other.expectOk("UID STORE " + (big / 2) + " +FLAGS.SILENT (\\Flagged)");
                    var flag = measure(cold, postgres, () -> c.expectOk("NOOP"));
                    other.appendAtOnce("Big", "()", "Subject: new\r\n\r\nnew\r\n".getBytes());
                    var append = measure(cold, postgres, () -> c.expectOk("NOOP"));
                    System.out.printf("BENCH cold replica's NOOP after another replica's STORE: %s; after its APPEND:"
                            + " %s%n", flag, append);
                }
            }
        }
    }

    /**
     * The cold replica's JVM warmed as a replica in service is: {@value #WARM_MAILBOXES} other mailboxes opened cold
     * (from their summaries) and read whole, several times over, before the measured one.
     */
    private static void warmUp(Replica maker, Replica cold) throws Exception {
        try (var m = maker.login(USER)) {
            for (int i = 0; i < WARM_MAILBOXES; i++) {
                m.expectOk("CREATE Warm" + i);
                for (int k = 0; k < 3; k++) {
                    m.appendAtOnce("Warm" + i, "()", ("Subject: warm " + k + "\r\n\r\nwarm\r\n").getBytes());
                }
            }
        }
        try (var c = cold.login(USER)) {
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < WARM_MAILBOXES; i++) {
                    c.expectOk("SELECT Warm" + i);
                    c.expectOk("UID FETCH 1:* (UID FLAGS)");
                }
            }
        }
    }

    private static final int WARM_MAILBOXES = 40;

    /** Runs {@code command}, noting in {@code first} the nanoseconds until its first response line. */
    private static RawImapClient.Response untilFirstLine(RawImapClient c, String command, long[] first)
            throws Exception {
        var tag = c.nextTag();
        long start = System.nanoTime();
        c.write(tag + " " + command + "\r\n");
        var line = c.readResponse();
        first[0] = System.nanoTime() - start;
        var rest = line.startsWith(tag + " ") ? new RawImapClient.Response(List.of(), line) : c.readUntilTagged(tag);
        var untagged = new java.util.ArrayList<String>();
        if (!line.startsWith(tag + " ")) {
            untagged.add(line);
        }
        untagged.addAll(rest.untagged());
        return new RawImapClient.Response(untagged, rest.tagged());
    }

    /** {@code big} rows in mailbox Big, each sharing the maker's one body; the row's UIDNEXT and MODSEQ to match. */
    private static void fill(String url, int big) throws Exception {
        try (var db = DriverManager.getConnection(url, "postgres", PostgresServer.SUPERUSER_PASSWORD);
                var s = db.createStatement()) {
            s.execute("INSERT INTO messages (mailbox_id, uid, body_key, flags, keywords, modseq, internal_date,"
                    + " physical_size, virtual_size) SELECT b.id, g, m.body_key, CASE WHEN g > " + (big - 100)
                    + " THEN 0 ELSE 1 END, CASE WHEN g % 1000 = 0 THEN '{$Work}'::text[] ELSE '{}' END, 2 + g / 1000,"
                    + " now() - make_interval(secs => " + big + " - g), m.physical_size, m.virtual_size"
                    + " FROM generate_series(1, " + big + ") g,"
                    + " (SELECT body_key, physical_size, virtual_size FROM messages LIMIT 1) m,"
                    + " (SELECT id FROM mailboxes WHERE name = 'Big') b");
            long modseq = 3 + big / 1000;
            s.execute("UPDATE mailboxes SET uid_next = " + (big + 1) + ", highest_modseq = " + modseq
                    + " WHERE name = 'Big'");
            // The writer of this schema's version carries the summary along (a version without one has nothing to).
            s.execute("DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'mailboxes'"
                    + " AND column_name = 'summary_modseq') THEN EXECUTE 'UPDATE mailboxes SET summary_modseq = "
                    + modseq + " WHERE name = ''Big'''; END IF; END $$");
            s.execute("VACUUM ANALYZE messages");
            try (var plan = s.executeQuery("EXPLAIN SELECT uid FROM messages WHERE mailbox_id = (SELECT id FROM"
                    + " mailboxes WHERE name = 'Big') AND uid >= 1 ORDER BY uid")) {
                while (plan.next()) {
                    System.out.println("BENCH plan of the rows' read: " + plan.getString(1));
                }
            }
        }
    }

    private interface Command {
        RawImapClient.Response run() throws Exception;
    }

    /** One command's wall time and the CPU the replica and PostgreSQL spent meanwhile. */
    private static String measure(Replica replica, ProcessHandle postgres, Command command) throws Exception {
        var replicaBefore = replica.cpu();
        var postgresBefore = ReplicaBenchmark.treeCpu(postgres);
        long start = System.nanoTime();
        var response = command.run();
        double wall = (System.nanoTime() - start) / 1e6;
        long replicaCpu = replica.cpu().minus(replicaBefore).toMillis();
        long postgresCpu = ReplicaBenchmark.treeCpu(postgres).minus(postgresBefore).toMillis();
        var codes = response.untagged().stream().filter(l -> l.contains("UNSEEN") || l.contains("EXISTS")
                || l.contains("HIGHESTMODSEQ") || l.startsWith("* FLAGS")).toList();
        return String.format("%.0f ms (replica CPU %d ms, PostgreSQL CPU %d ms, %d lines%s)", wall, replicaCpu,
                postgresCpu, response.untagged().size(), codes.isEmpty() || codes.size() > 6 ? "" : ": " + codes);
    }
}
