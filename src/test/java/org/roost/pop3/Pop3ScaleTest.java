package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large maildrop: STAT, LIST and UIDL answer for every message from the index. The size is
 * {@code -Droost.pop3.scale=N} (default 2,000 to keep the build quick; 100,000 for the issue's
 * figure). Timings are printed for the record, never asserted.
 */
class Pop3ScaleTest {
    @TempDir
    Path dir;

    @Test
    void statListAndUidlOfALargeMaildrop() throws Exception {
        int n = Integer.getInteger("roost.pop3.scale", 2000);
        var body = "Subject: scale\n\nline\n".getBytes(StandardCharsets.US_ASCII);
        long vsize = body.length + 3;
        try (var server = Pop3Users.server(dir)) {
            var cur = server.maildir("alice").resolve("cur");
            for (int i = 0; i < n; i++) {
                Files.write(cur.resolve((1700000000 + i) + ".M" + i + "P1.scale,S=" + body.length + ",W=" + vsize + ":2,"), body);
            }
            long t0 = System.nanoTime();
            var c = new Pop3TestClient(server.pop3Port());
            c.login("alice", "secret");
            long t1 = System.nanoTime();
            assertEquals("+OK " + n + " " + n * vsize, c.command("STAT"));
            long t2 = System.nanoTime();
            c.command("LIST");
            assertEquals(n, c.multilineText().split("\r\n").length - 1);
            long t3 = System.nanoTime();
            c.command("UIDL");
            assertEquals(n, c.multilineText().split("\r\n").length - 1);
            long t4 = System.nanoTime();
            c.command("QUIT");
            c.close();
            long t5 = System.nanoTime();
            var again = new Pop3TestClient(server.pop3Port());
            again.login("alice", "secret");
            again.command("UIDL");
            again.multiline();
            long t6 = System.nanoTime();
            again.close();
            System.out.printf("POP3 scale, %d messages: first login (scan) %d ms, STAT %d ms, LIST %d ms, UIDL %d ms,"
                    + " second login+UIDL %d ms%n", n, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (t6 - t5) / 1_000_000);
        }
    }
}
