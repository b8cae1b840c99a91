package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.RawImapClient;

/**
 * Two Roost processes on one database and one bucket, as two pods behind one Service: an IDLE client on one
 * replica is told of the APPEND, the flag change and the EXPUNGE made through the other, and the test prints how
 * long each took (the change feed's NOTIFY; without it IDLE's once-a-second look would find them later).
 */
@Timeout(300)
class PostgresReplicaTest {
    private static final String USER = "shared";
    @TempDir
    Path dir;
    private Replica one;
    private Replica two;

    @BeforeEach
    void start() throws Exception {
        var environment = MailDatabaseServers.shared().environment();
        one = new Replica(dir.resolve("one"), environment, USER).start();
        two = new Replica(dir.resolve("two"), environment, USER).start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        one.close();
        two.close();
    }

    @Test
    void anIdlerOnOneReplicaSeesWhatIsDoneThroughTheOther() throws Exception {
        try (var writer = two.login(USER); var idler = one.login(USER)) {
            assertTrue(writer.append("INBOX", "", message("first")).ok());
            idler.expectOk("SELECT INBOX");
            writer.expectOk("SELECT INBOX");
            idler.send("i1 IDLE");
            assertTrue(idler.readLine().startsWith("+ "));

            long start = System.nanoTime();
            assertTrue(writer.append("INBOX", "", message("second")).ok());
            await(idler, "APPEND", start, "* 2 EXISTS"::equals);

            start = System.nanoTime();
            writer.expectOk("STORE 1 +FLAGS (\\Flagged)");
            await(idler, "STORE", start, line -> line.startsWith("* 1 FETCH") && line.contains("\\Flagged"));

            writer.expectOk("STORE 2 +FLAGS.SILENT (\\Deleted)");
            start = System.nanoTime();
            writer.expectOk("EXPUNGE");
            await(idler, "EXPUNGE", start, "* 2 EXPUNGE"::equals);

            idler.send("DONE");
            assertTrue(idler.readUntilTagged("i1").ok());
        }
    }

    /**
     * Reads until {@code expected} comes (the client's read timeout catches a hang); prints how long after the
     * writer's command began, and after its tagged OK, the idler had it.
     */
    private static void await(RawImapClient idler, String what, long start, Predicate<String> expected)
            throws IOException {
        long answered = System.nanoTime();
        for (String line = idler.readLine(); !expected.test(line); line = idler.readLine()) {
            // other updates of the same change (a FETCH of \Deleted before its EXPUNGE)
        }
        long seen = System.nanoTime();
        System.out.printf("replica propagation: %s seen by the other replica's IDLE %.1f ms after the command"
                + " began, %.1f ms after its OK%n", what, (seen - start) / 1e6, (seen - answered) / 1e6);
    }

    private static byte[] message(String subject) {
        return ("Subject: " + subject + "\r\nFrom: a@b.example\r\n\r\nbody of " + subject + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
