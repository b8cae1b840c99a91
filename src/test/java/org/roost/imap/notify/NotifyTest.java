package org.roost.imap.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * NOTIFY (RFC 5465) over the wire, byte for byte: the responses of §3.1's example, STATUS for other
 * mailboxes (§5.2, §5.3), EXISTS/FETCH and EXPUNGE for the selected one, LIST for MailboxName and
 * SubscriptionChange (§5.4, §5.5), the BAD and NO answers of §3.1, §5 and §8, all sent between commands,
 * with no command from the client.
 */
@Timeout(60)
class NotifyTest {
    @TempDir
    Path dir;
    private TestServer server;
    private RawImapClient c;
    private RawImapClient other;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
        c = login();
        other = login();
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        other.close();
        server.close();
    }

    private RawImapClient login() throws IOException {
        var client = server.imap();
        client.greeting();
        client.expectOk("LOGIN alice \"wonder land\"");
        return client;
    }

    private static byte[] message(String subject) {
        return ("From: alice@example.org\r\nTo: bob@example.org\r\nSubject: " + subject + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void statusIndicatorReportsEveryWatchedMailboxBeforeTheOk() throws IOException {
        other.expectOk("CREATE Lists.Lemonade");
        other.expectOk("CREATE Lists.Im2000");
        other.append("Lists.Lemonade", "", message("one"));
        var r = c.expectOk("NOTIFY SET STATUS (SELECTED (MessageNew (UID BODY.PEEK[HEADER.FIELDS (From To Subject)])"
                + " MessageExpunge)) (SUBTREE Lists (MessageNew MessageExpunge))");
        var validity = uidValidity("Lists.Im2000");
        var lemonade = uidValidity("Lists.Lemonade");
        assertEquals(List.of(
                "* STATUS Lists.Im2000 (UIDVALIDITY " + validity + " UIDNEXT 1 MESSAGES 0)",
                "* STATUS Lists.Lemonade (UIDVALIDITY " + lemonade + " UIDNEXT 2 MESSAGES 1)"), r.untagged());
    }

    private long uidValidity(String mailbox) throws IOException {
        var line = other.expectOk("STATUS " + mailbox + " (UIDVALIDITY)").untagged().getFirst();
        return Long.parseLong(line.replaceAll(".*UIDVALIDITY (\\d+).*", "$1"));
    }

    @Test
    void aMessageAppendedElsewhereIsToldAsStatusWithoutACommand() throws IOException {
        other.expectOk("CREATE misc");
        c.expectOk("NOTIFY SET (MAILBOXES misc (MessageNew MessageExpunge))");
        other.append("misc", "", message("hello"));
        assertEquals("* STATUS misc (UIDNEXT 2 MESSAGES 1)", c.readLine());
        other.expectOk("SELECT misc");
        other.expectOk("STORE 1 +FLAGS (\\Deleted)");
        other.expectOk("EXPUNGE");
        assertEquals("* STATUS misc (UIDNEXT 2 MESSAGES 0)", c.readLine());
        assertEquals(List.of(), c.expectOk("NOOP").untagged());
    }

    @Test
    void flagChangesElsewhereTellUnseenOrHighestModseq() throws IOException {
        other.expectOk("CREATE misc");
        other.append("misc", "", message("hello"));
        c.expectOk("NOTIFY SET (MAILBOXES misc (MessageNew MessageExpunge FlagChange))");
        other.expectOk("SELECT misc");
        other.expectOk("STORE 1 +FLAGS.SILENT (\\Seen)");
        assertEquals("* STATUS misc (UNSEEN 0)", c.readLine());
        c.expectOk("ENABLE CONDSTORE");
        other.expectOk("STORE 1 -FLAGS.SILENT (\\Seen)");
        var line = c.readLine();
        assertTrue(line.matches("\\* STATUS misc \\(HIGHESTMODSEQ \\d+ UIDVALIDITY \\d+\\)"), line);
    }

    @Test
    void newMessagesInTheSelectedMailboxComeWithTheirFetchAttributes() throws IOException {
        c.expectOk("SELECT INBOX");
        c.expectOk("NOTIFY SET (SELECTED (MessageNew (UID BODY.PEEK[HEADER.FIELDS (From To Subject)])"
                + " MessageExpunge))");
        other.append("INBOX", "", message("Re: good morning"));
        assertEquals("* 1 EXISTS", c.readLine());
        assertEquals("* 1 RECENT", c.readLine());
        assertEquals("* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM TO SUBJECT)] {75}\r\n"
                + "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: Re: good morning\r\n\r\n)",
                c.readResponse());
    }

    @Test
    void aFileDroppedIntoNewIsToldAsItArrives() throws IOException {
        c.expectOk("SELECT INBOX");
        c.expectOk("NOTIFY SET (SELECTED (MessageNew (UID) MessageExpunge))");
        server.deliver(TestServer.ALICE, "Subject: dropped\r\n\r\nby another program\r\n");
        assertEquals("* 1 EXISTS", c.readLine());
        assertEquals("* 1 RECENT", c.readLine());
        assertEquals("* 1 FETCH (UID 1)", c.readLine());
    }

    @Test
    void expungesInTheSelectedMailboxArePushedAndDelayedWithSelectedDelayed() throws IOException {
        other.append("INBOX", "", message("one"));
        other.append("INBOX", "", message("two"));
        c.expectOk("SELECT INBOX");
        c.expectOk("NOTIFY SET (SELECTED (MessageNew MessageExpunge))");
        other.expectOk("SELECT INBOX");
        other.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        other.expectOk("EXPUNGE");
        assertEquals("* 1 EXPUNGE", c.readLine());
        c.expectOk("NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge))");
        other.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        other.expectOk("EXPUNGE");
        // §6.1.2: not before a command that allows expunges; FETCH does not, NOOP does
        assertEquals(List.of("* 1 FETCH (FLAGS (\\Recent))"), c.expectOk("FETCH 1 (FLAGS)").untagged());
        assertEquals(List.of("* 1 EXPUNGE"), c.expectOk("NOOP").untagged());
    }

    @Test
    void mailboxNamesAndSubscriptionsAreToldAsList() throws IOException {
        c.expectOk("NOTIFY SET (PERSONAL (MailboxName SubscriptionChange))");
        other.expectOk("CREATE NewMailbox");
        assertEquals("* LIST (\\HasNoChildren) \".\" NewMailbox", c.readLine());
        other.expectOk("SUBSCRIBE NewMailbox");
        assertEquals("* LIST (\\HasNoChildren \\Subscribed) \".\" NewMailbox", c.readLine());
        other.expectOk("RENAME NewMailbox Renamed");
        assertEquals("* LIST (\\HasNoChildren) \".\" Renamed (\"OLDNAME\" (NewMailbox))", c.readLine());
        other.expectOk("CREATE Renamed.Child");
        assertEquals("* LIST (\\HasNoChildren) \".\" Renamed.Child", c.readLine());
        assertEquals("* LIST (\\HasChildren) \".\" Renamed", c.readLine());
        other.expectOk("DELETE Renamed.Child");
        assertEquals("* LIST (\\NonExistent) \".\" Renamed.Child", c.readLine());
        assertEquals("* LIST (\\HasNoChildren) \".\" Renamed", c.readLine());
        // the client's own changes are not told (§5)
        assertEquals(List.of(), c.expectOk("CREATE Mine").untagged());
        assertEquals(List.of(), c.expectOk("NOOP").untagged());
    }

    @Test
    void answersToBadCommandsNeverCutIntoNotifications() throws Exception {
        other.expectOk("CREATE misc");
        c.expectOk("NOTIFY SET (MAILBOXES misc (MessageNew MessageExpunge))");
        var appender = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    other.append("misc", "", message("m" + i));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        for (int i = 0; i < 200; i++) {
            c.send("b" + i + " BOGUS " + "x".repeat(200));
        }
        int answered = 0;
        while (answered < 200) {
            var line = c.readLine();
            if (line.startsWith("b")) {
                assertEquals("b" + answered + " BAD Unknown command BOGUS", line);
                answered++;
            } else {
                assertTrue(line.matches("\\* STATUS misc \\(UIDNEXT \\d+ MESSAGES \\d+\\)"), line);
            }
        }
        appender.join();
    }

    @Test
    void notifyNoneStopsNotifications() throws IOException {
        other.expectOk("CREATE misc");
        c.expectOk("NOTIFY SET (MAILBOXES misc (MessageNew MessageExpunge))");
        c.expectOk("NOTIFY NONE");
        other.append("misc", "", message("hello"));
        assertEquals(List.of(), c.expectOk("NOOP").untagged());
    }

    @Test
    void invalidCombinationsAreBadAndUnsupportedEventsNo() throws IOException {
        for (var bad : List.of("NOTIFY SET (PERSONAL (MessageNew))", "NOTIFY SET (PERSONAL (FlagChange))",
                "NOTIFY SET (PERSONAL (MessageExpunge FlagChange))",
                "NOTIFY SET (SELECTED (MailboxName))",
                "NOTIFY SET (SELECTED (MessageNew MessageExpunge)) (SELECTED-DELAYED (MessageNew MessageExpunge))",
                "NOTIFY SET (PERSONAL (MessageNew (UID) MessageExpunge))",
                "NOTIFY SET (ELSEWHERE (MessageNew MessageExpunge))", "NOTIFY SET", "NOTIFY MAYBE")) {
            assertTrue(c.run(bad).tagged().matches("\\S+ BAD .*"), bad);
        }
        // AnnotationChange is about messages' annotations (RFC 5257), which Roost does not keep
        assertEquals("NO [BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange"
                        + " MailboxMetadataChange ServerMetadataChange)] Unsupported event.",
                c.run("NOTIFY SET (PERSONAL (MessageNew MessageExpunge AnnotationChange))").tagged()
                        .replaceFirst("^\\S+ ", ""));
        assertTrue(c.run("NOTIFY SET (INBOXES (MailboxMetadataChange))").ok());
    }

    @Test
    void notifyIsAdvertisedAfterTheEarlierCapabilities() throws IOException {
        var capability = c.expectOk("CAPABILITY").untagged().getFirst();
        assertTrue(capability.contains(" THREAD=REFERENCES THREAD=REFS NOTIFY"), capability);
    }
}
