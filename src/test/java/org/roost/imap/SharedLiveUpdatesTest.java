package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Changes reach the other users of a shared mailbox as they reach its owner's own sessions (#19 item 4): the
 * owner's APPEND and flag changes during another user's IDLE and NOTIFY, and an ACL change at the other session's
 * next command.
 */
@Timeout(60)
class SharedLiveUpdatesTest extends SharingUsers {
    private static final String MESSAGE = "Subject: live\r\n\r\nbody\r\n";

    SharedLiveUpdatesTest() throws IOException {
        super(MESSAGE);
    }

    @Test
    void theOwnersAppendAndFlagChangeReachAnotherUsersIdleAtOnce() throws IOException {
        try (var owning = server.login(owner); var client = server.login(other)) {
            owning.expectOk("SETACL INBOX " + other + " lr");
            client.expectOk("SELECT " + shared("INBOX"));
            client.send("i IDLE");
            assertEquals("+ idling", client.readLine());
            owning.append("INBOX", MESSAGE);
            assertEquals("* 2 EXISTS", client.readLine());
            assertEquals("* 2 RECENT", client.readLine()); // neither was seen by a session that selected the mailbox
            owning.expectOk("SELECT INBOX");
            owning.expectOk("STORE 1 +FLAGS.SILENT (\\Flagged)");
            assertEquals("* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent))", client.readLine());
            client.send("DONE");
            assertEquals("i OK IDLE terminated.", client.readLine());
        }
    }

    @Test
    void notifyTellsTheOwnersChangesOfASharedMailbox() throws IOException {
        createShared("Team");
        try (var owning = server.login(owner); var client = server.login(other)) {
            client.expectOk("NOTIFY SET (SUBTREE Shared (MessageNew MessageExpunge))");
            owning.append("Team", MESSAGE);
            assertEquals("* STATUS " + shared("Team") + " (UIDNEXT 2 MESSAGES 1)", client.readLine());
            client.expectOk("NOTIFY SET (PERSONAL (MessageNew MessageExpunge))");
            owning.append("Team", MESSAGE);
            assertEquals(List.of(), client.expectOk("NOOP").untagged(), "PERSONAL is the user's own namespace");
        }
    }

    /** NOTIFY tells the STATUS of a shared mailbox only while the user may read it (STATUS needs r, RFC 4314 §4). */
    @Test
    void notifyTellsNothingOfAMailboxNoLongerReadable() throws IOException {
        createShared("Board");
        try (var owning = server.login(owner); var client = server.login(other)) {
            client.expectOk("NOTIFY SET (SUBTREE Shared (MessageNew MessageExpunge))");
            appendOneWithoutReadThenOneWith(owning, "Board");
            assertEquals("* STATUS " + shared("Board") + " (UIDNEXT 3 MESSAGES 2)", client.readLine(),
                    "nothing was told while r was revoked");
        }
    }

    /** An IDLE that lost its right to read is told nothing of what the owner adds until the right comes back. */
    @Test
    void readRevokedDuringIdleStopsTheUpdates() throws IOException {
        try (var owning = server.login(owner); var client = server.login(other)) {
            owning.expectOk("SETACL INBOX " + other + " lr");
            client.expectOk("SELECT " + shared("INBOX"));
            client.send("i IDLE");
            assertEquals("+ idling", client.readLine());
            appendOneWithoutReadThenOneWith(owning, "INBOX");
            assertEquals("* 3 EXISTS", client.readLine(), "the message added while r was revoked was not told alone");
            client.send("DONE");
            client.readLine(); // RECENT
            assertEquals("i OK IDLE terminated.", client.readLine());
        }
    }

    @Test
    void readRevokedMidSessionCountsAtTheNextCommand() throws IOException {
        try (var owning = server.login(owner); var client = server.login(other)) {
            owning.expectOk("SETACL INBOX " + other + " lrs");
            client.expectOk("SELECT " + shared("INBOX"));
            client.expectOk("FETCH 1 FLAGS");
            owning.expectOk("SETACL INBOX " + other + " l");
            assertEquals("t NO [NOPERM] Permission denied.", client.tagged("t", "FETCH 1 FLAGS"));
            assertEquals("t NO [NOPERM] Permission denied.", client.tagged("t", "UID SEARCH ALL"));
            assertEquals("t NO [NOPERM] Permission denied.", client.tagged("t", "IDLE"));
            owning.append("INBOX", MESSAGE);
            assertEquals(List.of("t OK NOOP completed."), client.command("t", "NOOP"), "no more changes are told");
            owning.expectOk("DELETEACL INBOX " + other);
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "FETCH 1 FLAGS"));
            assertEquals("t OK UNSELECT completed.", client.tagged("t", "UNSELECT"));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "SELECT " + shared("INBOX")));
        }
    }

    @Test
    void angusMailSessionsOfTwoUsersShareAFolder() throws Exception {
        try (var owning = server.login(owner)) {
            owning.expectOk("CREATE Team");
            owning.expectOk("SETACL Team " + other + " lrswi");
        }
        var props = new Properties();
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", Integer.toString(server.imapPort()));
        props.put("mail.imap.timeout", "20000");
        var mail = jakarta.mail.Session.getInstance(props);
        var owning = mail.getStore("imap");
        var reading = mail.getStore("imap");
        owning.connect(owner, TestServer.PASSWORD);
        reading.connect(other, TestServer.PASSWORD);
        try {
            var namespaces = reading.getUserNamespaces(owner); // RFC 2342's other users' namespace
            assertEquals(1, namespaces.length);
            assertEquals('.', namespaces[0].getSeparator());
            assertTrue(namespaces[0].getFullName().startsWith("Shared"), namespaces[0].getFullName());
            var team = (IMAPFolder) reading.getFolder(shared("Team"));
            assertTrue(team.exists());
            team.open(Folder.READ_WRITE);
            assertEquals(0, team.getMessageCount());
            var theirs = owning.getFolder("Team");
            theirs.appendMessages(new Message[] {new MimeMessage(mail,
                    new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)))});
            team.doCommand(protocol -> {
                protocol.noop();
                return null;
            });
            assertEquals(1, team.getMessageCount()); // the NOOP told the owner's APPEND
            team.getMessage(1).setFlag(Flags.Flag.FLAGGED, true);
            team.appendMessages(new Message[] {new MimeMessage(mail,
                    new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)))});
            theirs.open(Folder.READ_ONLY);
            assertEquals(2, theirs.getMessageCount());
            assertTrue(theirs.getMessage(1).isSet(Flags.Flag.FLAGGED));
            var listed = reading.getFolder("Shared").list("*");
            assertTrue(List.of(listed).stream().anyMatch(f -> f.getFullName().equals(shared("Team"))));
            team.close(false);
            theirs.close(false);
        } finally {
            owning.close();
            reading.close();
        }
    }

    /** The owner creates {@code mailbox} and lets the other user list and read it. */
    private void createShared(String mailbox) throws IOException {
        try (var owning = server.login(owner)) {
            owning.expectOk("CREATE " + mailbox);
            owning.expectOk("SETACL " + mailbox + " " + other + " lr");
        }
    }

    /** The owner appends one message while the other user may not read {@code mailbox}, then one after r is back. */
    private void appendOneWithoutReadThenOneWith(RawImapClient owning, String mailbox) throws IOException {
        owning.expectOk("SETACL " + mailbox + " " + other + " l");
        owning.append(mailbox, MESSAGE);
        owning.expectOk("SETACL " + mailbox + " " + other + " lr");
        owning.append(mailbox, MESSAGE);
    }
}
