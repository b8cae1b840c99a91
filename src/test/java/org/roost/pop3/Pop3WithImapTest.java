package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** POP3 and IMAP on one mailbox through the shared MailboxState; UIDLs across restarts; the pop3 config section. */
class Pop3WithImapTest {
    @TempDir
    Path dir;

    private static Pop3TestClient pop3(TestServer server) throws IOException {
        var c = new Pop3TestClient(server.pop3Port());
        c.login("alice", "secret");
        return c;
    }

    @Test
    void imapSeesPop3ExpungesAndSeenFlags() throws Exception {
        try (var server = Pop3Users.server(dir)) {
            for (int i = 1; i <= 3; i++) {
                server.deliver("alice", "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n");
            }
            try (var imap = server.login("alice")) {
                assertTrue(imap.expectOk("SELECT INBOX").untagged().contains("* 3 EXISTS"));
                try (var pop = pop3(server)) {
                    pop.command("DELE 1");
                    pop.command("RETR 2");
                    pop.multiline();
                    assertEquals("+OK Logging out, 1 messages deleted.", pop.command("QUIT"));
                }
                var noop = imap.expectOk("NOOP");
                assertTrue(noop.untagged().contains("* 1 EXPUNGE"), noop.toString());
                var flags = imap.expectOk("FETCH 1:* (UID FLAGS)").untagged();
                assertTrue(flags.get(0).startsWith("* 1 FETCH (UID 2 FLAGS (\\Seen"), flags.toString());
                assertTrue(flags.get(1).startsWith("* 2 FETCH (UID 3 FLAGS (") && !flags.get(1).contains("Seen"),
                        "only RETR marks seen: " + flags);
            }
        }
    }

    @Test
    void pop3SeesImapExpungesAtItsNextSession() throws Exception {
        try (var server = Pop3Users.server(dir)) {
            server.deliver("alice", "Subject: a\r\n\r\na\r\n");
            server.deliver("alice", "Subject: b\r\n\r\nb\r\n");
            try (var pop = pop3(server); var imap = server.login("alice")) {
                imap.expectOk("SELECT INBOX");
                imap.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
                imap.expectOk("EXPUNGE");
                assertEquals("+OK 2 ", pop.command("STAT").substring(0, 6), "numbering is fixed for the session");
                assertEquals("-ERR Message 1 was expunged by another session.", pop.command("RETR 1"));
                pop.command("DELE 1");
                assertEquals("+OK Logging out, 1 messages deleted.", pop.command("QUIT"));
            }
            try (var pop = pop3(server)) {
                assertEquals("+OK 1 ", pop.command("STAT").substring(0, 6));
                assertTrue(pop.command("UIDL 1").startsWith("+OK 1 00000002"));
            }
        }
    }

    @Test
    void uidlsSurviveARestart() throws Exception {
        String before;
        try (var server = Pop3Users.server(dir)) {
            server.deliver("alice", "Subject: a\r\n\r\na\r\n");
            server.deliver("alice", "Subject: b\r\n\r\nb\r\n");
            try (var pop = pop3(server)) {
                pop.command("UIDL");
                before = pop.multilineText();
                pop.command("QUIT");
            }
        }
        try (var server = Pop3Users.server(dir); var pop = pop3(server)) {
            pop.command("UIDL");
            assertEquals(before, pop.multilineText());
        }
    }

    @Test
    void configuredUidlFormatAndNoSeenOnRetr() throws Exception {
        try (var server = Pop3Users.server(dir, Map.of("ROOST_AUTH_SECURENETWORKS", "127.0.0.0/8",
                "ROOST_POP3_UIDLFORMAT", "%v-%u-%.4f", "ROOST_POP3_MARKSEENONRETR", "false"))) {
            server.deliver("alice", "Subject: a\r\n\r\na\r\n");
            try (var pop = pop3(server)) {
                var answer = pop.command("UIDL 1");
                assertTrue(answer.matches("\\+OK 1 \\d+-1-1700"), answer);
                pop.command("RETR 1");
                pop.multiline();
                pop.command("QUIT");
            }
            try (var imap = server.login("alice")) {
                imap.expectOk("SELECT INBOX");
                var flags = imap.expectOk("FETCH 1 FLAGS").untagged();
                assertTrue(flags.get(0).startsWith("* 1 FETCH (FLAGS (") && !flags.get(0).contains("Seen"), flags.toString());
            }
        }
    }
}
