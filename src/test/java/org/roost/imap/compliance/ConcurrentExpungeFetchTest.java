package org.roost.imap.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * The outside finding, reproduced: ten clients SELECT one mailbox and mix FETCH, STORE, EXPUNGE and
 * APPEND. A FETCH of a message another client expunged (still shown, RFC 3501 §7.4.1) was answered
 * {@code NO [EXPUNGEISSUED]} about 270 times in 20 s; every such message is now served from its
 * hold (RFC 2180 §4.1.1), so no FETCH fails and none answers with made-up bytes. Seeded, bounded
 * by a count of commands, not by time.
 */
class ConcurrentExpungeFetchTest {
    private static final int CLIENTS = 10;
    private static final int COMMANDS = 120;
    private static final Pattern COUNT = Pattern.compile("^\\* (\\d+) (EXISTS|EXPUNGE)$");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void noFetchFailsWhileOthersExpunge(@TempDir Path dir) throws Exception {
        var failures = new ConcurrentLinkedQueue<String>();
        try (var server = TestServer.start(dir); var pool = Executors.newFixedThreadPool(CLIENTS)) {
            var clients = new ArrayList<Future<Integer>>();
            for (int i = 0; i < CLIENTS; i++) {
                long seed = 3501 + i;
                clients.add(pool.submit(() -> run(server, new Random(seed), failures)));
            }
            int fetches = 0;
            for (var c : clients) {
                fetches += c.get();
            }
            assertTrue(fetches > CLIENTS * COMMANDS / 4, "the mix fetched: " + fetches);
        }
        assertEquals(List.of(), List.copyOf(failures));
    }

    /** One client's session; returns how many FETCHes it sent. */
    private static int run(TestServer server, Random random, ConcurrentLinkedQueue<String> failures) throws IOException {
        try (var c = server.imap()) {
            c.greeting();
            c.tagged("l", "LOGIN alice \"wonder land\"");
            int[] count = {0};
            track(c.command("s", "SELECT INBOX"), count);
            int fetches = 0;
            for (int i = 0; i < COMMANDS; i++) {
                int kind = count[0] < 5 ? 0 : random.nextInt(10);
                String command;
                if (kind <= 1) {
                    var message = "Subject: load " + random.nextInt() + "\r\n\r\nbody\r\n";
                    command = "APPEND INBOX {" + message.length() + "+}\r\n" + message;
                } else if (kind <= 6) {
                    int from = 1 + random.nextInt(count[0]);
                    int to = Math.min(count[0], from + random.nextInt(4));
                    command = "FETCH " + from + ":" + to + " (UID FLAGS ENVELOPE BODY.PEEK[])";
                    fetches++;
                } else if (kind == 7) {
                    command = "STORE " + (1 + random.nextInt(count[0])) + " +FLAGS.SILENT (\\Deleted)";
                } else if (kind == 8) {
                    command = "EXPUNGE";
                } else {
                    command = "NOOP";
                }
                var lines = c.command("t", command);
                track(lines, count);
                var tagged = lines.getLast();
                if (!tagged.startsWith("t OK") && !(command.startsWith("STORE") && tagged.startsWith("t NO"))) {
                    failures.add(command.lines().findFirst().orElseThrow() + " -> " + tagged);
                }
            }
            return fetches;
        }
    }

    /** Follows the message count from EXISTS and EXPUNGE, so that every sequence number sent is valid. */
    private static void track(List<String> lines, int[] count) {
        for (var line : lines) {
            var m = COUNT.matcher(line);
            if (m.matches()) {
                count[0] = m.group(2).equals("EXISTS") ? Integer.parseInt(m.group(1)) : count[0] - 1;
            }
        }
    }
}
