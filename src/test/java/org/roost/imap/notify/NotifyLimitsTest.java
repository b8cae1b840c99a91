package org.roost.imap.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * NOTIFY against hostile and careless clients: more mailbox names or watched mailboxes than
 * {@code limits.maxNotifyMailboxes}, a deep SUBTREE, a client that does not read while its notifications
 * pile up ({@code limits.maxNotifyPending}: NOTIFICATIONOVERFLOW, RFC 5465 §5.8), and IDLE (§4).
 */
@Timeout(120)
class NotifyLimitsTest {
    @TempDir
    Path dir;

    private static RawImapClient login(TestServer server) throws IOException {
        var client = server.imap();
        client.greeting();
        client.expectOk("LOGIN alice \"wonder land\"");
        return client;
    }

    @Test
    void tooManyNamesIsBadAndTooManyWatchedMailboxesIsNotificationOverflow() throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXNOTIFYMAILBOXES", "5"));
             var c = login(server)) {
            for (int i = 1; i <= 4; i++) {
                c.expectOk("CREATE box" + i);
            }
            c.expectOk("NOTIFY SET (PERSONAL (MessageNew MessageExpunge))"); // INBOX and four: five
            c.expectOk("CREATE box5");
            assertTrue(c.run("NOTIFY SET (PERSONAL (MessageNew MessageExpunge))").tagged()
                    .endsWith(" NO [NOTIFICATIONOVERFLOW] NOTIFY would watch more than 5 mailboxes."));
            // names that match nothing cost nothing beyond their count
            assertTrue(c.run("NOTIFY SET (MAILBOXES (a b c d e f) (MessageNew MessageExpunge))").tagged()
                    .endsWith(" BAD Too many mailbox names (at most 5)"));
            // a refused NOTIFY leaves none in effect
            c.append("box1", "", "Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(List.of(), c.expectOk("NOOP").untagged());
        }
    }

    @Test
    void aDeepSubtreeMatchesByPrefixOnly() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server); var other = login(server)) {
            var deep = new StringBuilder("a");
            for (int i = 0; i < 15; i++) { // the deepest a Maildir++ name may be: 16 levels
                deep.append(".l").append(i);
            }
            other.expectOk("CREATE " + deep);
            other.expectOk("CREATE ab");
            c.expectOk("NOTIFY SET (SUBTREE a (MessageNew MessageExpunge))");
            other.append("ab", "", "Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            other.append(deep.toString(), "", "Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("* STATUS " + deep + " (UIDNEXT 2 MESSAGES 1)", c.readLine());
            assertEquals(List.of(), c.expectOk("NOOP").untagged()); // nothing of "ab"
        }
    }

    @Test
    void aClientThatDoesNotReadIsToldOfTheOverflowAndCarriesOn() throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXNOTIFYPENDING", "10"));
             var c = login(server); var other = login(server)) {
            c.expectOk("SELECT INBOX");
            c.expectOk("NOTIFY SET (SELECTED (MessageNew (BODY.PEEK[]) MessageExpunge)) (PERSONAL (MailboxName))");
            var big = new byte[1 << 20];
            Arrays.fill(big, (byte) 'x');
            System.arraycopy("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 16);
            for (int i = 0; i < 24; i++) { // more than the socket buffers hold: the notifier's writes block
                other.append("INBOX", "", big);
            }
            for (int i = 0; i < 20; i++) {
                other.expectOk("CREATE piled" + i);
            }
            var seen = new ArrayList<String>();
            String line;
            do {
                line = c.readResponse();
                seen.add(line.length() > 60 ? line.substring(0, 60) : line);
            } while (!line.startsWith("* OK [NOTIFICATIONOVERFLOW]"));
            assertTrue(seen.stream().noneMatch(l -> l.startsWith("* LIST")), seen.toString());
            // as after NOTIFY NONE: nothing more unasked, and the session works
            other.expectOk("CREATE after");
            var noop = c.expectOk("NOOP");
            assertTrue(noop.untagged().stream().noneMatch(l -> l.startsWith("* LIST")), noop.toString());
            assertTrue(c.expectOk("STATUS INBOX (MESSAGES)").untagged().contains("* STATUS INBOX (MESSAGES 24)"));
        }
    }

    @Test
    void idleSendsExactlyWhatNotifyAskedFor() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server); var other = login(server)) {
            other.expectOk("CREATE misc");
            c.expectOk("SELECT INBOX");
            c.expectOk("NOTIFY SET (MAILBOXES misc (MessageNew MessageExpunge))");
            c.send("i IDLE");
            assertEquals("+ idling", c.readLine());
            other.append("INBOX", "", "Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            other.append("misc", "", "Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            // nothing of the selected INBOX, which NOTIFY left out (§4)
            assertEquals("* STATUS misc (UIDNEXT 2 MESSAGES 1)", c.readLine());
            c.send("DONE");
            assertEquals("* 1 EXISTS", c.readLine()); // the usual report at the end of a command
            assertEquals("* 1 RECENT", c.readLine());
            assertEquals("i OK IDLE terminated.", c.readLine());
            c.expectOk("NOTIFY SET (SELECTED (MessageNew MessageExpunge))");
            c.send("j IDLE");
            assertEquals("+ idling", c.readLine());
            other.append("INBOX", "", "Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("* 2 EXISTS", c.readLine());
            assertEquals("* 2 RECENT", c.readLine());
            c.send("DONE");
            assertEquals("j OK IDLE terminated.", c.readLine());
        }
    }
}
