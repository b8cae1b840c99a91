package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.TestServer;

/**
 * {@code roost_acl_denials_total} counts each command refused for want of rights, by command: those answered
 * {@code NO [NOPERM]} and those answered as if the mailbox did not exist (RFC 4314 §6), but not a mailbox that
 * really does not exist, which reads the same on the wire.
 */
@Timeout(60)
class AclDenialMetricsTest {
    @TempDir
    Path dir;

    @Test
    void deniedCommandsAreCountedByCommandAndMissingMailboxesAreNot() throws Exception {
        try (var server = TestServer.start(dir); var imap = server.connect()) {
            server.deliver("alice", "Subject: x\r\n\r\nx\r\n");
            imap.expectOk("LOGIN alice \"wonder land\"");
            imap.expectOk("CREATE Locked");
            imap.expectOk("CREATE Hidden");
            var root = server.maildir("alice");
            Files.writeString(root.resolve(".Locked/dovecot-acl"), "owner lr\n");
            Files.writeString(root.resolve(".Hidden/dovecot-acl"), "owner p\n");

            assertEquals("d NO [NOPERM] Permission denied.", imap.tagged("d", "DELETE Locked"));
            assertEquals("d NO [NONEXISTENT] Mailbox does not exist.", imap.tagged("d", "DELETE Hidden"));
            assertEquals("s NO [NONEXISTENT] Mailbox does not exist.", imap.tagged("s", "SELECT Hidden"));
            assertEquals("m NO [NONEXISTENT] Mailbox does not exist.", imap.tagged("m", "MYRIGHTS Hidden"));
            imap.send("a APPEND Hidden {4}");
            imap.readLine();
            imap.write("x\r\n\r\n");
            assertEquals("a NO [TRYCREATE] Mailbox does not exist.", imap.readLine());
            // the same words for mailboxes that do not exist: no denial
            assertEquals("s NO [NONEXISTENT] Mailbox does not exist.", imap.tagged("s", "SELECT Nowhere"));
            assertEquals("m NO [NONEXISTENT] Mailbox does not exist.", imap.tagged("m", "MYRIGHTS Nowhere"));
            imap.expectOk("SELECT INBOX");
            assertEquals("c NO [TRYCREATE] Mailbox does not exist.", imap.tagged("c", "COPY 1:* Nowhere"));

            var denials = AdminClient.metrics(server).lines().filter(l -> l.startsWith("roost_acl_denials_total{"))
                    .sorted().toList();
            assertEquals(List.of("roost_acl_denials_total{command=\"APPEND\",protocol=\"imap\"} 1.0",
                    "roost_acl_denials_total{command=\"DELETE\",protocol=\"imap\"} 2.0",
                    "roost_acl_denials_total{command=\"MYRIGHTS\",protocol=\"imap\"} 1.0",
                    "roost_acl_denials_total{command=\"SELECT\",protocol=\"imap\"} 1.0"), denials);
            assertTrue(AdminClient.metrics(server).contains("# HELP roost_acl_denials_total Commands refused for want"
                    + " of ACL rights"));
        }
    }
}
