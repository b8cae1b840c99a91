package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.ForeignMboxLock;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * An mbox another program keeps locked longer than {@code mail.mbox.lockTimeout}: IMAP answers
 * {@code NO [INUSE]} (RFC 5530 §3), POP3 {@code -ERR [IN-USE]} (RFC 2449 §8.1.2), the session goes on,
 * and the same commands work once the program lets go.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LockedMboxOverProtocolsTest {
    @TempDir
    Path dir;

    private TestServer roost;
    private Path inbox;

    @BeforeEach
    void server() throws IOException {
        roost = TestServer.start(dir, Map.of("ROOST_MAIL_LOCATION", "mbox:" + dir.resolve("mail") + "/%u",
                "ROOST_MAIL_FSYNC", "false", "ROOST_MAIL_MBOX_LOCKTIMEOUT", "300ms",
                "ROOST_LISTENERS_POP3_ENABLED", "true"));
        inbox = dir.resolve("mail/" + TestServer.ALICE + "/inbox");
    }

    @AfterEach
    void stop() {
        roost.close();
    }

    private RawImapClient login() throws IOException {
        var c = roost.connect();
        c.expectOk("LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
        return c;
    }

    @Test
    void imapChangesGetNoInUseWhileAnotherProgramHoldsTheDotLock() throws Exception {
        try (var c = login()) {
            c.expectOk("SELECT INBOX");
            try (var held = ForeignMboxLock.hold("dotlock", inbox)) {
                var refused = c.append("INBOX", "Subject: waits\r\n\r\nbody\r\n");
                assertTrue(refused.tagged().contains(" NO [INUSE] "), refused.toString());
                c.expectOk("NOOP");
            }
            assertTrue(c.append("INBOX", "Subject: waits\r\n\r\nbody\r\n").ok());
            c.expectOk("STORE 1 +FLAGS (\\Flagged)");
            try (var held = ForeignMboxLock.hold("fcntl", inbox)) {
                var refused = c.run("STORE 1 +FLAGS (\\Seen)");
                assertTrue(refused.tagged().contains(" NO [INUSE] "), refused.toString());
            }
            var fetched = c.expectOk("FETCH 1 (FLAGS)");
            assertTrue(fetched.untagged().getFirst().contains("\\Flagged"), fetched.toString());
            assertFalse(fetched.untagged().getFirst().contains("\\Seen"), fetched.toString());
        }
    }

    @Test
    void pop3GetsErrInUseWhileAnotherProgramHoldsTheMbox() throws Exception {
        try (var c = login()) {
            assertTrue(c.append("INBOX", "Subject: one\r\n\r\nbody\r\n").ok());
        }
        try (var held = ForeignMboxLock.hold("fcntl", inbox)) {
            var replies = pop3("USER " + TestServer.ALICE, "PASS " + TestServer.ALICE_PASSWORD, "RETR 1", "DELE 1",
                    "QUIT");
            assertTrue(replies.get(3).startsWith("-ERR [IN-USE] "), "RETR reads the file: " + replies);
            assertTrue(replies.get(5).startsWith("-ERR [IN-USE] "), "QUIT expunges: " + replies);
        }
        var replies = pop3("USER " + TestServer.ALICE, "PASS " + TestServer.ALICE_PASSWORD, "STAT", "QUIT");
        assertTrue(replies.get(2).startsWith("+OK "), replies.toString());
        assertTrue(replies.get(3).startsWith("+OK 1 "), replies.toString());
    }

    /** The greeting and one reply line per command. */
    private List<String> pop3(String... commands) throws IOException {
        try (var socket = new Socket("127.0.0.1", roost.pop3Port())) {
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            var out = new PrintStream(socket.getOutputStream(), true, StandardCharsets.US_ASCII);
            var replies = new ArrayList<String>();
            replies.add(in.readLine());
            for (var command : commands) {
                out.print(command + "\r\n");
                replies.add(in.readLine());
            }
            return replies;
        }
    }
}
