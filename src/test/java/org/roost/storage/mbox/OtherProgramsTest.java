package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.ForeignMboxLock;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * The programs that share an mbox with the server, for real: mutt (Debian's) deleting and flagging
 * while an IMAP client sits in IDLE, procmail delivering while a client fetches a large message, and
 * a program that keeps the file locked.
 * Skipped without them, except where {@code CI=true} (.ci/run installs them).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OtherProgramsTest {
    @TempDir
    Path dir;

    private TestServer roost;
    private Path inbox;

    /** A server on mbox files with alice's INBOX at {@link #inbox}; {@code settings} added. */
    private void start(Map<String, String> settings) throws IOException {
        var all = new HashMap<>(settings);
        all.put("ROOST_MAIL_LOCATION", "mbox:" + dir.resolve("mail") + "/%u");
        all.put("ROOST_MAIL_FSYNC", "false");
        roost = TestServer.start(dir, all);
        inbox = dir.resolve("mail/" + TestServer.ALICE + "/inbox");
    }

    @AfterEach
    void stop() {
        if (roost != null) {
            roost.close();
        }
    }

    static void require(String... programs) {
        var missing = new ArrayList<String>();
        for (var program : programs) {
            boolean found = false;
            for (var d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                found |= Files.isExecutable(Path.of(d, program));
            }
            if (!found) {
                missing.add(program);
            }
        }
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(missing + " not installed (.ci/run installs them)");
        }
        Assumptions.assumeTrue(missing.isEmpty(), missing + " not installed");
    }

    private RawImapClient login() throws IOException {
        var c = roost.imap();
        c.greeting();
        assertTrue(c.tagged("l", "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"").startsWith("l OK"));
        return c;
    }

    private static void append(RawImapClient c, String flags, String message) throws IOException {
        var bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        c.send("a APPEND INBOX (" + flags + ") {" + bytes.length + "+}");
        c.write(bytes);
        c.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        var answer = c.readUntilTagged("a");
        assertTrue(answer.ok(), answer.toString());
    }

    /** Lines the IDLE client gets until {@code done} says it has what it waits for (or the timeout). */
    private static List<String> untilDone(RawImapClient c, java.util.function.Predicate<List<String>> done)
            throws IOException {
        var lines = new ArrayList<String>();
        while (!done.test(lines)) {
            lines.add(c.readLine());
        }
        return lines;
    }

    @Test
    void muttDeletingAndFlaggingReachesAClientInIdle() throws Exception {
        require("mutt", "tmux");
        start(Map.of());
        try (var c = login()) {
            for (int i = 1; i <= 3; i++) {
                append(c, "", "From: a@example.com\r\nSubject: m" + i + "\r\n\r\nbody " + i + "\r\n");
            }
            c.tagged("s", "SELECT INBOX");
            c.send("i IDLE");
            assertTrue(c.readLine().startsWith("+ "));
            var muttrc = dir.resolve("muttrc");
            Files.writeString(muttrc, """
                    set folder=%s
                    set spoolfile=%s
                    set mbox_type=mbox
                    set delete=yes
                    set move=no
                    set quit=yes
                    set mark_old=no
                    """.formatted(inbox.getParent(), inbox));
            var session = "roost-mutt-" + ProcessHandle.current().pid();
            tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40",
                    "mutt -n -F " + muttrc + " -f " + inbox);
            try {
                waitForScreen(session, "Msgs:3");
                tmux("send-keys", "-t", session, "d"); // deletes message 1, moves to message 2
                tmux("send-keys", "-t", session, "F"); // flags message 2
                tmux("send-keys", "-t", session, "$"); // writes the mailbox
                waitForScreen(session, "Msgs:2");
                tmux("send-keys", "-t", session, "q");
            } finally {
                new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
            }
            var lines = untilDone(c, got -> got.contains("* 1 EXPUNGE")
                    && got.stream().anyMatch(l -> l.matches("\\* 1 FETCH \\(.*FLAGS \\(.*\\\\Flagged.*")));
            assertTrue(lines.contains("* 1 EXPUNGE"), lines.toString());
            c.send("DONE");
            c.readUntilTagged("i");
            var fetched = c.command("f", "UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            var text = String.join("\n", fetched);
            assertTrue(text.contains("* 1 FETCH (UID 2 FLAGS (\\Flagged"), text);
            assertTrue(text.contains("* 2 FETCH (UID 3 FLAGS (") && !text.contains("UID 3 FLAGS (\\Flagged"), text);
            assertTrue(text.contains("Subject: m2") && text.contains("Subject: m3") && !text.contains("Subject: m1"), text);
        }
        var problems = MboxFileCheck.problems(inbox);
        assertTrue(problems.isEmpty(), problems + "\n" + Files.readString(inbox));
    }

    private static void tmux(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>(List.of("tmux"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static void waitForScreen(String session, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String screen = "";
        while (System.nanoTime() < deadline) {
            var p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).redirectErrorStream(true).start();
            screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            if (screen.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("mutt never showed " + text + ":\n" + screen);
    }

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");

    @Test
    void procmailDeliversWhileAClientFetchesALargeMessage() throws Exception {
        require("procmail");
        start(Map.of());
        var big = ("Subject: big\r\n\r\n" + "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrst\r\n"
                .repeat(300_000)).getBytes(StandardCharsets.ISO_8859_1);
        try (var c = login()) {
            append(c, "", new String(big, StandardCharsets.ISO_8859_1));
            c.tagged("s", "SELECT INBOX");
            c.send("f UID FETCH 1 (BODY.PEEK[])");
            var first = c.readLine();
            var m = LITERAL.matcher(first);
            assertTrue(m.find(), first);
            int length = Integer.parseInt(m.group(1));
            var head = c.readBytes(length / 10);
            var rc = dir.resolve("procmailrc");
            Files.writeString(rc, "DEFAULT=" + inbox + "\nLOGFILE=" + dir.resolve("procmail.log") + "\n");
            var procmail = new ProcessBuilder("procmail", "-f", "sender@example.com", "-m", rc.toString())
                    .redirectErrorStream(true).start();
            try (var in = procmail.getOutputStream()) {
                in.write("From: sender@example.com\nSubject: delivered during the fetch\n\nFrom the MTA\n".getBytes(
                        StandardCharsets.US_ASCII));
            }
            assertTrue(procmail.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, procmail.exitValue(), new String(procmail.getInputStream().readAllBytes()));
            var rest = c.readBytes(length - head.length);
            var whole = new byte[length];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(rest, 0, whole, head.length, rest.length);
            assertArrayEquals(big, whole);
            assertEquals(")", c.readLine());
            var finished = c.readUntilTagged("f");
            assertTrue(finished.ok(), finished.toString());
            var after = String.join("\n", finished.untagged()) + "\n" + String.join("\n", c.command("n", "UID FETCH 2 (BODY.PEEK[TEXT])"));
            assertTrue(after.contains("* 2 EXISTS"), after);
            assertTrue(after.contains("From the MTA"), "procmail's quoting undone: " + after);
        }
        assertTrue(MboxFileCheck.problems(inbox).isEmpty(), MboxFileCheck.problems(inbox).toString());
    }

    /**
     * For the tests where another program keeps the mbox locked longer than {@code mail.mbox.lockTimeout}: IMAP answers
     * {@code NO [INUSE]} (RFC 5530 §3), POP3 {@code -ERR [IN-USE]} (RFC 2449 §8.1.2), the session goes on,
     * and the same commands work once the program lets go.
     */
    private static final Map<String, String> LOCKED_BRIEFLY = Map.of("ROOST_MAIL_MBOX_LOCKTIMEOUT", "300ms",
            "ROOST_LISTENERS_POP3_ENABLED", "true");

    @Test
    void imapChangesGetNoInUseWhileAnotherProgramHoldsTheDotLock() throws Exception {
        start(LOCKED_BRIEFLY);
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
        start(LOCKED_BRIEFLY);
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
