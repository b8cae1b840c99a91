package org.roost.imap.objectid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * OBJECTID (RFC 8474) byte for byte, after the RFC's examples: MAILBOXID at CREATE, SELECT and STATUS and through
 * RENAME (§4), EMAILID and THREADID in FETCH and SEARCH and through MOVE and COPY (§5, §6), and every id the same
 * after a restart whose index files are gone (rebuilt from the mail).
 */
class ObjectIdTest {
    private static final Pattern MAILBOX_ID = Pattern.compile("F[0-9a-f]{32}");
    private static final Pattern FETCHED = Pattern.compile(
            "\\* \\d+ FETCH \\(EMAILID \\((M[0-9a-f]{24})\\) THREADID \\((T[0-9a-f]{24})\\)\\)");
    private static final String MESSAGE_A = "Subject: Message A\r\nMessage-ID: <fake.1521475657.54797@example.com>\r\n"
            + "\r\nA\r\n";
    private static final String MESSAGE_B = "Subject: Re: Message A\r\nMessage-ID: <fake.1521475657.21213@example.org>\r\n"
            + "References: <fake.1521475657.54797@example.com>\r\n\r\nB\r\n";
    private static final String MESSAGE_C = "Subject: Message C\r\nMessage-ID: <fake.1521475657.60280@example.com>\r\n"
            + "\r\nC\r\n";

    @TempDir
    Path dir;

    @Test
    void mailboxIdsComeWithCreateSelectAndStatusAndStayThroughRename() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            var created = c.command("3", "create foo");
            var foo = mailboxId(created.getLast(), "3 OK [MAILBOXID (", ")] CREATE completed.");
            var bar = mailboxId(c.command("4", "create bar").getLast(), "4 OK [MAILBOXID (", ")] CREATE completed.");
            assertNotEquals(foo, bar);
            assertEquals(List.of("5 NO [ALREADYEXISTS] Mailbox already exists."), c.command("5", "create foo"));
            assertEquals(List.of("* STATUS foo (MAILBOXID (" + foo + "))", "6 OK STATUS completed."),
                    c.command("6", "status foo (mailboxid)"));
            c.expectOk("rename foo renamed");
            assertEquals(List.of("* STATUS renamed (MAILBOXID (" + foo + ") MESSAGES 0)", "9 OK STATUS completed."),
                    c.command("9", "status renamed (mailboxid messages)"));
            assertEquals(List.of("* STATUS bar (MAILBOXID (" + bar + "))", "10 OK STATUS completed."),
                    c.command("10", "status bar (mailboxid)"));
            var selected = c.command("27", "select renamed");
            assertTrue(selected.contains("* OK [MAILBOXID (" + foo + ")] Ok"), selected.toString());
            var inbox = mailboxId(c.command("28", "status INBOX (MAILBOXID)").getFirst(),
                    "* STATUS INBOX (MAILBOXID (", "))");
            assertNotEquals(foo, inbox);
            assertEquals(List.of("* LIST () \".\" INBOX", "* STATUS INBOX (MAILBOXID (" + inbox + "))",
                    "* LIST () \".\" bar", "* STATUS bar (MAILBOXID (" + bar + "))",
                    "* LIST () \".\" renamed", "* STATUS renamed (MAILBOXID (" + foo + "))",
                    "11 OK LIST completed."), c.command("11", "list \"\" \"*\" return (status (mailboxid))"));
        }
    }

    @Test
    void emailIdsAndThreadIdsFollowTheRfcExampleThroughMoveCopyAndARebuild() throws IOException {
        List<String> before;
        List<String> moved;
        String foo;
        try (var server = TestServer.start(dir); var c = login(server)) {
            foo = mailboxId(c.command("2", "create foo").getLast(), "2 OK [MAILBOXID (", ")] CREATE completed.");
            for (var message : List.of(MESSAGE_A, MESSAGE_B, MESSAGE_C)) {
                c.append("INBOX", "()", message.getBytes(StandardCharsets.US_ASCII));
            }
            c.expectOk("select inbox");
            before = c.command("22", "fetch 1:* (emailid threadid)");
            assertEquals(4, before.size(), before.toString());
            var a = ids(before.get(0));
            var b = ids(before.get(1));
            var third = ids(before.get(2));
            assertEquals(a[1], b[1], "a reply shares its thread");
            assertNotEquals(a[1], third[1]);
            assertNotEquals(a[0], b[0]);
            assertEquals(List.of("* SEARCH 1", "27 OK SEARCH completed."), c.command("27", "search emailid " + a[0]));
            assertEquals(List.of("* SEARCH 1 2", "28 OK SEARCH completed."), c.command("28", "search threadid " + a[1]));
            assertEquals(List.of("* SEARCH", "29 OK SEARCH completed."), c.command("29", "search emailid Mnothing"));
            c.expectOk("move 2 foo");
            c.expectOk("copy 2 foo"); // message C, now number 2
            assertEquals(List.of(before.get(0), before.get(2).replace("* 3 ", "* 2 "), "24 OK FETCH completed."),
                    c.command("24", "fetch 1:* (emailid threadid)"));
            c.expectOk("select foo");
            moved = c.command("26", "fetch 1:* (emailid threadid)");
            assertEquals(List.of(before.get(1).replace("* 2 ", "* 1 "), before.get(2).replace("* 3 ", "* 2 "),
                    "26 OK FETCH completed."), moved);
        }
        assertTrue(deleteIndexFiles(dir) > 0, "the index is rebuilt from the mail");
        try (var server = TestServer.start(dir); var c = login(server)) {
            var selected = c.command("1", "select foo");
            assertTrue(selected.contains("* OK [MAILBOXID (" + foo + ")] Ok"), selected.toString());
            assertEquals(moved.subList(0, 2), c.command("26", "fetch 1:* (emailid threadid)").subList(0, 2));
            c.expectOk("select inbox");
            assertEquals(List.of(before.get(0), before.get(2).replace("* 3 ", "* 2 "), "24 OK FETCH completed."),
                    c.command("24", "fetch 1:* (emailid threadid)"));
        }
    }

    @Test
    void objectIdsAreCheckedAsTheGrammarSays() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            c.expectOk("select inbox");
            assertTrue(c.command("1", "search emailid M.1").getLast().startsWith("1 BAD "));
            assertTrue(c.command("2", "search threadid").getLast().startsWith("2 BAD "));
            assertTrue(c.command("3", "search emailid " + "M".repeat(256)).getLast().startsWith("3 BAD "));
            assertEquals(List.of("* SEARCH", "4 OK SEARCH completed."), c.command("4", "search emailid " + "M".repeat(255)));
        }
    }

    @Test
    void mboxMailKeepsNoIdsSoNoneAreOffered() throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_MAIL_LOCATION",
                "mbox:" + dir.resolve("mbox").toAbsolutePath() + "/%u")); var c = login(server)) {
            var capability = c.command("1", "capability").getFirst();
            assertTrue(!capability.contains("OBJECTID") && capability.contains(" SAVEDATE"), capability);
            c.append("INBOX", "()", MESSAGE_A.getBytes(StandardCharsets.US_ASCII));
            c.expectOk("select inbox");
            assertTrue(c.command("2", "fetch 1 emailid").getLast().startsWith("2 BAD "));
            assertTrue(c.command("3", "search threadid T1").getLast().startsWith("3 BAD "));
            assertTrue(c.command("4", "status inbox (mailboxid)").getLast().startsWith("4 BAD "));
            assertEquals(List.of("5 OK CREATE completed."), c.command("5", "create foo"));
        }
    }

    static RawImapClient login(TestServer server) throws IOException {
        var client = server.imap();
        client.greeting();
        client.expectOk("LOGIN alice \"wonder land\"");
        return client;
    }

    private static String mailboxId(String line, String prefix, String suffix) {
        assertTrue(line.startsWith(prefix) && line.endsWith(suffix), line);
        var id = line.substring(prefix.length(), line.length() - suffix.length());
        assertTrue(MAILBOX_ID.matcher(id).matches(), id);
        return id;
    }

    private static String[] ids(String line) {
        var m = FETCHED.matcher(line);
        assertTrue(m.matches(), line);
        return new String[] {m.group(1), m.group(2)};
    }

    /** Deletes every index, log and cache file under {@code root}; returns how many there were. */
    static int deleteIndexFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            var index = files.filter(f -> f.getFileName().toString().startsWith("roost.")).toList();
            for (var file : index) {
                Files.delete(file);
            }
            return index.size();
        }
    }
}
