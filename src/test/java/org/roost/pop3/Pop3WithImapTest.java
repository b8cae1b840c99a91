package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** POP3 and IMAP on one mailbox through the shared MailboxState; UIDLs across restarts; the pop3 config section. */
class Pop3WithImapTest {
    @TempDir
    Path dir;

    /** A minimal IMAP client: tagged commands, all lines up to the tagged answer. */
    static final class Imap implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;
        private int tag;

        Imap(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            in.readLine();
        }

        List<String> run(String command) throws IOException {
            var t = "a" + (++tag);
            out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            var lines = new ArrayList<String>();
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (line.startsWith(t + " ")) {
                    if (!line.startsWith(t + " OK")) {
                        throw new IOException(command + " failed: " + lines);
                    }
                    return lines;
                }
            }
            throw new IOException("connection closed during " + command);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

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
            try (var imap = new Imap(server.imapPort())) {
                imap.run("LOGIN alice secret");
                assertTrue(imap.run("SELECT INBOX").contains("* 3 EXISTS"));
                try (var pop = pop3(server)) {
                    pop.command("DELE 1");
                    pop.command("RETR 2");
                    pop.multiline();
                    assertEquals("+OK Logging out, 1 messages deleted.", pop.command("QUIT"));
                }
                var noop = imap.run("NOOP");
                assertTrue(noop.contains("* 1 EXPUNGE"), noop.toString());
                var flags = imap.run("FETCH 1:* (UID FLAGS)");
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
            try (var pop = pop3(server); var imap = new Imap(server.imapPort())) {
                imap.run("LOGIN alice secret");
                imap.run("SELECT INBOX");
                imap.run("STORE 1 +FLAGS.SILENT (\\Deleted)");
                imap.run("EXPUNGE");
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
            try (var imap = new Imap(server.imapPort())) {
                imap.run("LOGIN alice secret");
                imap.run("SELECT INBOX");
                var flags = imap.run("FETCH 1 FLAGS");
                assertTrue(flags.get(0).startsWith("* 1 FETCH (FLAGS (") && !flags.get(0).contains("Seen"), flags.toString());
            }
        }
    }
}
