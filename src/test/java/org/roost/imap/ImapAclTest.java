package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import jakarta.mail.Folder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.roost.acl.Rights;
import org.eclipse.angus.mail.imap.ACL;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.roost.testing.PythonScript;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * RFC 4314 through a socket: every command against every right it needs (a mailbox's {@code dovecot-acl} taking
 * rights away from its owner, as a Dovecot site's files can), and the ACL commands byte for byte.
 */
@Timeout(60)
class ImapAclTest {
    private static final String MESSAGE = "Subject: acl\r\n\r\nbody\r\n";

    /** A fresh user with INBOX holding one message and a mailbox "Target" holding one, logged in. */
    private record Session(TestServer server, String user, RawImapClient client) implements AutoCloseable {
        static Session open() throws IOException {
            var server = TestServer.shared();
            var user = server.newUser();
            server.deliver(user, MESSAGE);
            var client = RawImapClient.connect("127.0.0.1", server.imapPort());
            client.greeting();
            assertTrue(client.tagged("l", "LOGIN " + user + " " + TestServer.PASSWORD).startsWith("l OK"));
            assertTrue(client.tagged("c", "CREATE Target").startsWith("c OK"));
            client.send("a APPEND Target (\\Flagged) {" + MESSAGE.length() + "}");
            client.readLine();
            client.write(MESSAGE + "\r\n");
            while (!client.readLine().startsWith("a ")) {
                // untagged lines
            }
            return new Session(server, user, client);
        }

        Path folder(String name) {
            var root = server.maildir(user);
            return name.equals("INBOX") ? root : root.resolve("." + name);
        }

        /** The owner keeps every right but {@code missing} on {@code name}. */
        void withhold(String name, String missing) throws IOException {
            Rights kept;
            try {
                kept = Rights.ALL.minus(Rights.parseImap(missing));
            } catch (Rights.InvalidRights e) {
                throw new IllegalArgumentException(e);
            }
            Files.writeString(folder(name).resolve("dovecot-acl"), "owner " + kept.fileLetters() + "\n");
        }

        String tagged(String command) throws IOException {
            return client.tagged("t", command);
        }

        List<String> lines(String command) throws IOException {
            return client.command("t", command);
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /** Command, the right it needs on Target, and what to do first (null: nothing). */
    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("SELECT Target", "r", null),
                Arguments.of("EXAMINE Target", "r", null),
                Arguments.of("STATUS Target (MESSAGES)", "r", null),
                Arguments.of("DELETE Target", "x", null),
                Arguments.of("RENAME Target Elsewhere", "x", null),
                Arguments.of("CREATE Target.Sub", "k", null),
                Arguments.of("APPEND Target {1+}\r\nx", "i", null),
                Arguments.of("COPY 1 Target", "i", "SELECT INBOX"),
                Arguments.of("MOVE 1 Target", "i", "SELECT INBOX"),
                Arguments.of("GETACL Target", "a", null),
                Arguments.of("LISTRIGHTS Target fred", "a", null),
                Arguments.of("SETACL Target fred lr", "a", null),
                Arguments.of("DELETEACL Target fred", "a", null));
    }

    @ParameterizedTest
    @MethodSource("matrix")
    void aMissingRightIsNopermAndWithoutLookupTheMailboxDoesNotExist(String command, String right, String first)
            throws IOException {
        try (var session = Session.open()) {
            if (first != null) {
                assertTrue(session.tagged(first).startsWith("t OK"));
            }
            session.withhold("Target", right);
            var expected = right.equals("a") ? "t NO [NOPERM] You lack administrator privileges on this mailbox."
                    : "t NO [NOPERM] Permission denied.";
            assertEquals(expected, session.tagged(command));
            session.withhold("Target", right + "l");
            var hidden = command.startsWith("COPY") || command.startsWith("MOVE") || command.startsWith("APPEND")
                    ? "t NO [TRYCREATE] Mailbox does not exist." : "t NO [NONEXISTENT] Mailbox does not exist.";
            assertEquals(hidden, session.tagged(command));
        }
    }

    @Test
    void selectedStateCommandsNeedTheirRights() throws IOException {
        try (var session = Session.open()) {
            session.withhold("Target", "e");
            assertTrue(session.tagged("SELECT Target").startsWith("t OK [READ-WRITE]"));
            assertEquals("t NO [NOPERM] Permission denied.", session.tagged("EXPUNGE"));
            assertEquals("t NO [NOPERM] Permission denied.", session.tagged("UID EXPUNGE 1:*"));
            session.withhold("Target", "t");
            assertEquals("t NO [NOPERM] Permission denied.", session.tagged("MOVE 1 INBOX"));
            session.withhold("Target", "s");
            // STORE changes only what the rights allow: \Seen stays unset, \Deleted is set
            assertEquals(List.of("* 1 FETCH (FLAGS (\\Flagged \\Deleted \\Recent))", "t OK STORE completed."),
                    session.lines("STORE 1 +FLAGS (\\Seen \\Deleted)"));
            // FETCH BODY[] sets \Seen only with s
            var fetched = session.lines("FETCH 1 (BODY[] FLAGS)");
            assertTrue(fetched.stream().noneMatch(l -> l.contains("\\Seen")), fetched.toString());
            session.withhold("Target", "w");
            assertEquals(List.of("* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))", "t OK STORE completed."),
                    session.lines("STORE 1 FLAGS (\\Seen)"));
        }
    }

    @Test
    void withoutAnyWriteRightSelectIsReadOnlyAndPermanentFlagsTellWhatMayChange() throws IOException {
        try (var session = Session.open()) {
            session.withhold("Target", "iewst");
            var select = session.lines("SELECT Target");
            assertTrue(select.getLast().startsWith("t OK [READ-ONLY]"), select.toString());
            assertTrue(select.contains("* OK [PERMANENTFLAGS ()] Read-only mailbox."), select.toString());
            session.withhold("Target", "wt");
            select = session.lines("SELECT Target");
            assertTrue(select.getLast().startsWith("t OK [READ-WRITE]"), select.toString());
            assertTrue(select.contains("* OK [PERMANENTFLAGS (\\Seen)] Flags permitted."), select.toString());
        }
    }

    @Test
    void listShowsOnlyWhatMayBeLookedUpAndListStatusOnlyWhatMayBeRead() throws IOException {
        try (var session = Session.open()) {
            assertTrue(session.tagged("CREATE Visible").startsWith("t OK"));
            session.withhold("Target", "l");
            var listed = session.lines("LIST \"\" *");
            assertTrue(listed.stream().noneMatch(l -> l.contains("Target")), listed.toString());
            assertTrue(listed.stream().anyMatch(l -> l.endsWith(" Visible")), listed.toString());
            session.withhold("Visible", "r");
            var status = session.lines("LIST \"\" Visible RETURN (STATUS (MESSAGES))");
            assertTrue(status.stream().noneMatch(l -> l.startsWith("* STATUS")), status.toString());
        }
    }

    @Test
    void aRevokedRightCountsAtTheNextCommand() throws IOException {
        try (var session = Session.open()) {
            assertTrue(session.tagged("SELECT Target").startsWith("t OK"));
            assertTrue(session.tagged("STATUS INBOX (MESSAGES)").startsWith("t OK"));
            session.withhold("INBOX", "r");
            assertEquals("t NO [NOPERM] Permission denied.", session.tagged("STATUS INBOX (MESSAGES)"));
            session.withhold("Target", "e");
            assertEquals("t NO [NOPERM] Permission denied.", session.tagged("EXPUNGE"));
        }
    }

    @Test
    void theAclCommandsAnswerAsDovecotDoes() throws IOException {
        try (var session = Session.open()) {
            var user = session.user();
            assertEquals(List.of("* MYRIGHTS Target lrwstipekxacd", "t OK Myrights completed."),
                    session.lines("MYRIGHTS Target"));
            assertEquals(List.of("* ACL Target " + user + " lrwstipekxacd", "t OK Getacl completed."),
                    session.lines("GETACL Target"));
            // RFC 4314 §3.1's examples: "d" stands for "et"; "c" is added for "k" and "x"
            assertEquals("t OK Setacl complete.", session.tagged("SETACL Target David lrswida"));
            assertEquals("t OK Setacl complete.", session.tagged("SETACL Target Byron lrswikda"));
            assertEquals("t OK Setacl complete.", session.tagged("SETACL Target -Fred wetd"));
            assertEquals("t OK Setacl complete.", session.tagged("SETACL Target $team w"));
            assertEquals(List.of("* ACL Target $team w Byron akeilrwtscd David aeilrwtsd -Fred ewtd " + user
                    + " lrwstipekxacd", "t OK Getacl completed."), session.lines("GETACL Target"));
            assertEquals("""
                    group=team w
                    user=Byron akeilrwts
                    user=David aeilrwts
                    -user=Fred ewt
                    """, Files.readString(session.folder("Target").resolve("dovecot-acl")));
            assertEquals("t OK Setacl complete.", session.tagged("SETACL Target Byron -cd"));
            assertEquals("t OK Deleteacl complete.", session.tagged("DELETEACL Target David"));
            assertEquals("t OK Deleteacl complete.", session.tagged("DELETEACL Target -Fred"));
            assertEquals(List.of("* ACL Target $team w Byron ailrws " + user + " lrwstipekxacd",
                    "t OK Getacl completed."), session.lines("GETACL Target"));
            assertEquals(List.of("* LISTRIGHTS Target smith \"\" l r w s t p i e k x a c d",
                    "t OK Listrights completed."), session.lines("LISTRIGHTS Target smith"));
            assertEquals("t BAD Uppercase rights are not allowed", session.tagged("SETACL Target John lrQswicda"));
            assertEquals("t BAD The q right is not supported", session.tagged("SETACL Target John lrqswicda"));
            assertEquals("t BAD 'anyone' identifier is disallowed", session.tagged("SETACL Target anyone lr"));
            // the owner cannot take "a" away from themselves
            assertEquals("t OK Setacl complete.", session.tagged("SETACL Target owner lr"));
            assertEquals(List.of("* MYRIGHTS Target lra", "t OK Myrights completed."),
                    session.lines("MYRIGHTS Target"));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", session.tagged("MYRIGHTS Nowhere"));
        }
    }

    @Test
    void aNewMailboxInheritsItsParentsAcl() throws IOException {
        try (var session = Session.open()) {
            assertEquals("t OK Setacl complete.", session.tagged("SETACL Target fred lr"));
            assertTrue(session.tagged("CREATE Target.Child").startsWith("t OK"));
            assertEquals(Files.readString(session.folder("Target").resolve("dovecot-acl")),
                    Files.readString(session.folder("Target.Child").resolve("dovecot-acl")));
        }
    }

    @Test
    void pythonsImaplibReadsAndChangesAcls() throws Exception {
        var server = TestServer.shared();
        var user = server.newUser();
        try (var python = PythonScript.start("imaplib_acl.py", "127.0.0.1", Integer.toString(server.imapPort()), user,
                TestServer.PASSWORD)) {
            assertEquals(0, python.exitCode(), python.lines().toString());
            assertEquals(List.of("CAPABILITY True",
                    "MYRIGHTS ('OK', [b'Team lrwstipekxacd'])",
                    "SETACL OK",
                    "SETACL negative OK",
                    "GETACL ('OK', [b'Team fred lrs -fred s " + user + " lrwstipekxacd'])",
                    "LISTRIGHTS OK [b'Team fred \"\" l r w s t p i e k x a c d']",
                    "DELETEACL OK",
                    "GETACL after ('OK', [b'Team -fred s " + user + " lrwstipekxacd'])",
                    "BAD SETACL command error: BAD [b'Uppercase rights are not allowed']"), python.lines());
        }
    }

    @Test
    void angusMailReadsAndChangesAcls() throws Exception {
        var server = TestServer.shared();
        var user = server.newUser();
        var props = new Properties();
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", Integer.toString(server.imapPort()));
        props.put("mail.imap.timeout", "20000");
        var store = jakarta.mail.Session.getInstance(props).getStore("imap");
        store.connect(user, TestServer.PASSWORD);
        try {
            var folder = (IMAPFolder) store.getFolder("Team");
            assertTrue(folder.create(Folder.HOLDS_MESSAGES));
            assertEquals("acdeiklprstwx", folder.myRights().toString()); // Angus lists letters in ASCII order
            folder.addACL(new ACL("fred", new org.eclipse.angus.mail.imap.Rights("lrs")));
            folder.addRights(new ACL("fred", new org.eclipse.angus.mail.imap.Rights("w")));
            folder.removeRights(new ACL("fred", new org.eclipse.angus.mail.imap.Rights("s")));
            var acl = Stream.of(folder.getACL()).map(a -> a.getName() + "=" + a.getRights()).toList();
            assertEquals(List.of("fred=lrw", user + "=acdeiklprstwx"), acl);
            folder.removeACL("fred");
            assertEquals(List.of(user), Stream.of(folder.getACL()).map(ACL::getName).toList());
        } finally {
            store.close();
        }
    }

    @Test
    void capabilityNamesAclAndRightsTexk() throws IOException {
        try (var session = Session.open()) {
            var capability = session.lines("CAPABILITY").getFirst();
            assertTrue(capability.contains(" ACL RIGHTS=texk "), capability);
        }
    }
}
