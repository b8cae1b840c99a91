package org.roost.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.RequiredTool;
import org.roost.testing.TestServer;

/**
 * Debian's Postfix, run as a private instance on loopback (src/test/resources/postfix/private-postfix.sh),
 * accepting SMTP from swaks and handing the mail to Roost: by LMTP over TCP and over a UNIX socket
 * ({@code virtual_transport = lmtp:...}), and through {@code bin/roost deliver} as its {@code mailbox_command}
 * (run by local(8) as the user {@code nobody}). An IMAP client then finds each message. Needs the packaged
 * {@code bin/roost}, hence an IT; Postfix and swaks are installed by .ci/run.
 */
@Timeout(300)
class PostfixDeliveryIT {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final Path SCRIPT = PROJECT.resolve("src/test/resources/postfix/private-postfix.sh");
    /** Postfix delivers within a second or two; this only bounds a hang. */
    private static final int WAIT_ATTEMPTS = 1200;

    @TempDir
    Path dir;
    private TestServer server;
    private Path postfix;
    private int smtpPort;

    @BeforeEach
    void users() throws IOException {
        RequiredTool.require("postfix", "postfix", "postqueue");
        RequiredTool.require("swaks", "swaks");
        // Postfix's daemons and local(8)'s "nobody" walk these directories.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("passwd"), "alice:{PLAIN}pw::::::\nbob:{PLAIN}pw::::::\nnobody:{PLAIN}pw::::::\n");
        Files.setPosixFilePermissions(dir.resolve("passwd"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void stop() throws Exception {
        if (postfix != null) {
            run(SCRIPT.toString(), "stop", postfix.toString());
        }
        if (server != null) {
            server.close();
        }
    }

    private void startRoost(Map<String, String> overrides) throws IOException {
        var env = new java.util.HashMap<>(Map.of("ROOST_LISTENERS_LMTP_ENABLED", "true"));
        env.putAll(overrides);
        server = TestServer.start(dir, env);
    }

    private void startPostfix(String transport, String mailboxCommand) throws Exception {
        postfix = dir.resolve("postfix");
        try (var socket = new java.net.ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        var out = run(SCRIPT.toString(), "start", postfix.toString(), Integer.toString(smtpPort), transport,
                mailboxCommand);
        assertTrue(out.contains("starting the Postfix mail system"), out);
    }

    private void swaks(String to, String subject) throws Exception {
        var out = run("swaks", "--server", "127.0.0.1:" + smtpPort, "--from", "sender@roost.test", "--to", to,
                "--header", "Subject: " + subject, "--body", "Sent through Postfix.");
        assertTrue(out.contains("<-  250 2.0.0 Ok: queued as"), out);
    }

    private static String run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** The subjects in the user's INBOX once {@code count} messages are there. */
    private List<String> awaitSubjects(String user, int count) throws Exception {
        try (var imap = RawImapClient.connect("127.0.0.1", server.imapPort())) {
            imap.greeting();
            assertTrue(imap.tagged("l", "LOGIN " + user + " pw").startsWith("l OK"));
            for (int attempt = 0; attempt < WAIT_ATTEMPTS; attempt++) {
                if (imap.command("s", "STATUS INBOX (MESSAGES)").getFirst().contains("MESSAGES " + count + ")")) {
                    imap.command("x", "EXAMINE INBOX");
                    var subjects = new ArrayList<String>();
                    for (var line : imap.command("f", "FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")) {
                        if (line.startsWith("Subject: ")) {
                            subjects.add(line.substring("Subject: ".length()));
                        }
                    }
                    return subjects;
                }
                Thread.sleep(100);
            }
        }
        fail(user + " did not get " + count + " messages; Postfix log:\n" + maillog());
        return List.of();
    }

    private String awaitLog(String text) throws Exception {
        for (int attempt = 0; attempt < WAIT_ATTEMPTS; attempt++) {
            var log = maillog();
            if (log.contains(text)) {
                return log;
            }
            Thread.sleep(100);
        }
        return fail("Postfix did not log \"" + text + "\":\n" + maillog());
    }

    private String maillog() throws IOException {
        var log = postfix.resolve("maillog");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    @Test
    void postfixDeliversByLmtpOverTcp() throws Exception {
        startRoost(Map.of());
        startPostfix("lmtp:inet:127.0.0.1:" + server.lmtpPort(), "/bin/false");
        swaks("alice@example.org,bob@example.org", "over tcp");
        swaks("nobody-here@example.org", "to no one");
        assertEquals(List.of("over tcp"), awaitSubjects("alice", 1));
        assertEquals(List.of("over tcp"), awaitSubjects("bob", 1));
        var log = awaitLog("status=bounced");
        assertTrue(log.contains("said: 550 5.1.1 <nobody-here@example.org> No such user here"), log);
        assertTrue(log.contains("status=sent (250 2.0.0 <alice@example.org> Saved)"), log);
    }

    @Test
    void postfixDeliversByLmtpOverAUnixSocket() throws Exception {
        var socket = dir.resolve("run/lmtp");
        startRoost(Map.of("ROOST_LISTENERS_LMTP_PATH", socket.toString()));
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        startPostfix("lmtp:unix:" + socket, "/bin/false");
        swaks("bob+folder@example.org", "over a unix socket");
        assertEquals(List.of("over a unix socket"), awaitSubjects("bob", 1));
    }

    /**
     * local(8) runs the command as the recipient ("nobody", a system user), with $USER, $SENDER and
     * $RECIPIENT set: the README's line. The installed files are copied where "nobody" may read them.
     */
    @Test
    void postfixDeliversThroughRoostDeliverAsItsMailboxCommand() throws Exception {
        startRoost(Map.of());
        // The Maildir belongs to the user the MTA runs the command as (the server here runs as root).
        var maildir = dir.resolve("data/mail/nobody");
        for (var sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        run("chown", "-R", "nobody", maildir.toString());
        var config = dir.resolve("roost.yaml");
        Files.writeString(config, """
                data: %s
                auth: {passwdFile: %s}
                mail: {location: "maildir:%s/%%u"}
                """.formatted(dir.resolve("data"), dir.resolve("passwd"), dir.resolve("data/mail")));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        var roost = install();
        startPostfix("lmtp:inet:127.0.0.1:" + server.lmtpPort(),
                "ROOST_AOT=off " + roost + " deliver --config " + config
                        + " -d \"$USER\" -f \"$SENDER\" -a \"$RECIPIENT\"");
        swaks("nobody@localhost.test", "through roost deliver");
        // The server here runs as root: it must not create nobody's files before nobody's command has.
        awaitLog("status=sent (delivered to command: ");
        assertEquals(List.of("through roost deliver"), awaitSubjects("nobody", 1));
    }

    /** bin/roost, the jar and its libraries, readable by every user (the project may live under /root). */
    private Path install() throws Exception {
        var home = dir.resolve("install");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("target"));
        Files.copy(PROJECT.resolve("bin/roost"), home.resolve("bin/roost"));
        run("cp", "-r", PROJECT.resolve("target/lib").toString(), home.resolve("target/lib").toString());
        Files.copy(PROJECT.resolve("target/roost.jar"), home.resolve("target/roost.jar"));
        run("chmod", "-R", "a+rX", home.toString());
        return home.resolve("bin/roost");
    }
}
