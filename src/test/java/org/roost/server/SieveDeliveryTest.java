package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.TestServer;

/**
 * Sieve at delivery through both doors, LMTP and {@code roost deliver}: per-recipient outcomes (a rejection is that
 * recipient's 550, the others are delivered), filing read back over IMAP, a user without a home keeping scripts
 * under {@code sieve.homes}, a broken script delivering to INBOX, and the meters.
 */
@Timeout(60)
class SieveDeliveryTest {
    private static final String SCRIPT = """
            require ["fileinto", "mailbox", "reject", "imap4flags"];
            if header :contains "subject" "spam" { reject "no spam, please"; stop; }
            fileinto :create :flags "\\\\Seen" "Filed";
            """;

    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;
    private Path config;

    @BeforeEach
    void start() throws IOException {
        var pw = ":{PLAIN}" + TestServer.PASSWORD + ":::";
        var passwd = Files.writeString(dir.resolve("passwd"), "ann" + pw + ":" + dir.resolve("ann") + "::\nbob" + pw
                + "::::\ncarl" + pw + ":" + dir.resolve("carl") + "::\n");
        activate(dir.resolve("ann"), SCRIPT);
        activate(dir.resolve("data/sieve/bob"), "require [\"fileinto\", \"mailbox\"]; fileinto :create \"Bobs\";");
        activate(dir.resolve("carl"), "require \"fileinto\"; fileinto \"x\" # no semicolon\n");
        server = TestServer.start(dir, Map.of("ROOST_AUTH_PASSWDFILE", passwd.toString(),
                "ROOST_LISTENERS_LMTP_ENABLED", "true", "ROOST_MAIL_FSYNC", "false"));
        config = Files.writeString(dir.resolve("roost.yaml"), "data: " + dir.resolve("data")
                + "\nmail: {fsync: false}\nauth: {passwdFile: " + passwd + "}\n");
    }

    private static void activate(Path home, String script) throws IOException {
        Files.createDirectories(home.resolve("sieve"));
        Files.writeString(home.resolve("sieve/main.sieve"), script);
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("sieve/main.sieve"));
    }

    private List<String> lmtp(String message, String... recipients) throws IOException {
        return server.lmtp(message, recipients);
    }

    private List<String> fetch(String user, String mailbox) throws IOException {
        try (var imap = server.login(user)) {
            imap.command("s", "SELECT " + mailbox);
            return imap.command("f", "FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])").stream()
                    .filter(l -> l.startsWith("Subject: ") || l.contains("FLAGS")).toList();
        }
    }

    @Test
    void eachRecipientsScriptDecidesItsOwnOutcome() throws Exception {
        assertEquals(List.of("550 5.7.1 <ann@example.org> Rejected: no spam, please",
                "250 2.0.0 <bob@example.org> Saved", "250 2.0.0 <carl@example.org> Saved"),
                lmtp("Subject: spam offer\r\n\r\nbuy", "ann@example.org", "bob@example.org", "carl@example.org"));
        assertEquals(List.of("250 2.0.0 <ann@example.org> Saved"), lmtp("Subject: hello\r\n\r\nhi", "ann@example.org"));
        var filed = fetch("ann", "Filed");
        assertTrue(filed.getFirst().contains("FLAGS (\\Seen"), filed::toString);
        assertEquals("Subject: hello", filed.get(1));
        assertEquals(List.of("Subject: spam offer"), fetch("bob", "Bobs").stream()
                .filter(l -> l.startsWith("Subject")).toList(), "bob's scripts are under sieve.homes");
        assertEquals(List.of("Subject: spam offer"), fetch("carl", "INBOX").stream()
                .filter(l -> l.startsWith("Subject")).toList(), "a broken script delivers to INBOX");
        var metrics = AdminClient.metrics(server);
        assertTrue(metrics.contains("roost_sieve_runs_total{result=\"ok\"} 3.0"), metrics);
        assertTrue(metrics.contains("roost_sieve_runs_total{result=\"failed\"} 1.0"), metrics);
        assertTrue(metrics.contains("roost_sieve_failures_total{kind=\"compile\"} 1.0"), metrics);
        assertTrue(metrics.contains("roost_sieve_actions_total{action=\"fileinto\"} 2.0"), metrics);
        assertTrue(metrics.contains("roost_deliveries_total{protocol=\"lmtp\",result=\"rejected\"} 1.0"), metrics);
    }

    @Test
    void roostDeliverRunsTheScriptToo() throws Exception {
        var err = new ByteArrayOutputStream();
        assertEquals(0, deliver("ann", "Subject: by deliver\n\nbody\n", err));
        assertEquals(DeliverCommand.EX_NOPERM, deliver("ann", "Subject: spam by deliver\n\nbody\n", err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no spam, please"), err::toString);
        assertEquals(0, deliver("carl", "Subject: broken\n\nbody\n", err));
        assertEquals(List.of("Subject: by deliver"), fetch("ann", "Filed").stream()
                .filter(l -> l.startsWith("Subject")).toList());
        assertEquals(List.of("Subject: broken"), fetch("carl", "INBOX").stream()
                .filter(l -> l.startsWith("Subject")).toList());
    }

    private int deliver(String user, String message, ByteArrayOutputStream err) {
        return DeliverCommand.run(List.of("--config", config.toString(), "-d", user, "-f", "s@x.y"),
                new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), new PrintStream(err, true));
    }
}
