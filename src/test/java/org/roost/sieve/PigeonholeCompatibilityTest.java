package org.roost.sieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.PythonScript;
import org.roost.testing.RequiredTool;
import org.roost.testing.SmtpCapture;
import org.roost.testing.TestServer;

/**
 * Real-world Pigeonhole scripts (spam to Junk by header, list filing by List-Id, subaddress filing, vacation), each
 * in the user's {@code ~/sieve/} with the {@code ~/.dovecot.sieve} link, run on the same messages twice: delivered
 * to Roost over LMTP by Python's smtplib and read back over IMAP with imaplib, and delivered by Debian's
 * {@code dovecot-lda} with Pigeonhole and read from its Maildir. The same messages land in the same mailboxes with
 * the same flags, and the same senders get vacation replies, in both.
 */
@Timeout(300)
class PigeonholeCompatibilityTest {
    private static final Path LDA = Path.of("/usr/lib/dovecot/dovecot-lda");
    private static final Path SCRIPTS = Path.of("src/test/resources/sieve/pigeonhole");

    /** Sender, recipient, message. */
    private record Mail(String sender, String recipient, String text) {}

    private static final List<Mail> MAIL = List.of(
            mail("spammer@bad.example", "alice@example.org", "Cheap pills", "X-Spam-Flag: YES\n", "Buy now"),
            mail("other@bad.example", "alice@example.org", "Score seven", "X-Spam-Score: 7.5\n", "Buy later"),
            mail("dev-bounces@lists.example.org", "alice@example.org", "[dev] release",
                    "List-Id: Developers <Dev.lists.example.org>\n", "Release 1.0 is out."),
            mail("plain-bounces@example.org", "alice@example.org", "Plain list", "List-Id: plain.example.org\n",
                    "A list without brackets."),
            mail("orders@shop.example.com", "alice+shop@example.org", "Your order 123", "", "Thanks for your order."),
            mail("boss@example.com", "alice@example.org", "Meeting", "", "See you at ten."),
            mail("news@example.net", "alice@example.org", "Newsletter", "", "Click here to unsubscribe."),
            mail("friend@example.net", "alice@example.org", "Hello", "", "How are you?"),
            mail("friend@example.net", "alice@example.org", "Hello again", "", "Still there?"),
            mail("robot@example.net", "alice@example.org", "Report", "Auto-Submitted: auto-generated\n", "Done."));

    @TempDir
    Path dir;

    private static Mail mail(String sender, String recipient, String subject, String extra, String body) {
        var text = "From: <" + sender + ">\nTo: Alice <" + recipient + ">\nSubject: " + subject
                + "\nMessage-ID: <" + subject.hashCode() + "." + sender + ">\nDate: Tue, 3 Jun 2025 18:05:30 +0200\n"
                + extra + "\n" + body + "\n";
        return new Mail(sender, recipient, text.replace("\n", "\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spam-to-junk", "list-filing", "subaddress", "vacation"})
    void roostFilesLikePigeonhole(String script) throws Exception {
        compare(script, null);
    }

    /**
     * A global {@code sieve_before} script (spam to Junk, then {@code stop} for every message) ahead of the user's
     * list filing: {@code stop} ends the global script only, and the user's runs while the message is still kept.
     */
    @Test
    void aGlobalBeforeScriptRunsAheadOfTheUsersOwnAsInPigeonhole() throws Exception {
        var before = dir.resolve("before.sieve");
        Files.writeString(before, Files.readString(SCRIPTS.resolve("spam-to-junk.sieve")) + "stop;\n");
        compare("list-filing", before);
    }

    private void compare(String script, Path before) throws Exception {
        RequiredTool.require("dovecot-sieve", "sievec", "runuser");
        var text = Files.readString(SCRIPTS.resolve(script + ".sieve"));
        try (var roostRelay = new SmtpCapture(); var dovecotRelay = new SmtpCapture()) {
            var roost = roost(text, roostRelay, before);
            var dovecot = dovecot(text, dovecotRelay, before);
            assertEquals(dovecot, roost, "mailbox|subject|flags of every message");
            var roostReplies = replies(roostRelay);
            assertEquals(replies(dovecotRelay), roostReplies, "vacation replies by recipient");
            if (script.equals("vacation")) {
                // not to lists, automatic mail or the discarded newsletter; to a friend once per :days
                assertEquals(List.of("boss@example.com", "friend@example.net", "orders@shop.example.com",
                        "other@bad.example", "spammer@bad.example"), roostReplies);
            }
        }
    }

    private List<String> roost(String script, SmtpCapture relay, Path before) throws Exception {
        var home = dir.resolve("roost-home");
        installScript(home, script);
        var root = Files.createDirectories(dir.resolve("roost"));
        Files.writeString(root.resolve("passwd"), "alice:{PLAIN}pw::::" + home + "::\n");
        var messages = writeMessages(root);
        var env = new HashMap<>(Map.of("ROOST_LISTENERS_LMTP_ENABLED", "true", "ROOST_SIEVE_RELAY", relay.relay(),
                "ROOST_DELIVERY_HOSTNAME", "mx.example.org"));
        if (before != null) {
            env.put("ROOST_SIEVE_BEFORE", before.toString());
        }
        try (var server = TestServer.start(root, env);
                var python = PythonScript.start("sieve/deliver_and_read.py", Integer.toString(server.lmtpPort()),
                        Integer.toString(server.imapPort()), "alice", "pw", messages.toString())) {
            assertEquals(0, python.exitCode(), String.join("\n", python.lines()));
            var lines = python.lines();
            assertEquals(MAIL.size(), lines.stream().filter(l -> l.equals("LMTP 250")).count(), lines::toString);
            return lines.stream().filter(l -> !l.startsWith("LMTP ")).toList();
        }
    }

    private List<String> dovecot(String script, SmtpCapture relay, Path before) throws Exception {
        var root = Files.createDirectories(dir.resolve("dovecot"));
        var home = root.resolve("home");
        installScript(home, script);
        Files.createDirectories(root.resolve("mail"));
        Files.createDirectories(root.resolve("run"));
        var config = root.resolve("dovecot.conf");
        Files.writeString(config, """
                protocols =
                base_dir = %1$s/run
                log_path = %1$s/dovecot.log
                ssl = no
                mail_location = maildir:%1$s/mail
                first_valid_uid = 1
                protocol lda {
                  mail_plugins = sieve
                }
                plugin {
                  sieve = file:~/sieve;active=~/.dovecot.sieve
                  %3$s
                }
                submission_host = %2$s
                recipient_delimiter = +
                postmaster_address = postmaster@example.org
                hostname = mx.example.org
                """.formatted(root, relay.relay(), before == null ? "" : "sieve_before = " + before));
        run("chown", "-R", "nobody:nogroup", dir.toString());
        run("chmod", "755", dir.toString());
        for (var mail : MAIL) {
            var file = root.resolve("message.eml");
            Files.writeString(file, mail.text());
            var process = new ProcessBuilder("runuser", "-u", "nobody", "--", "env", "HOME=" + home, "USER=alice",
                    LDA.toString(), "-c", config.toString(), "-f", mail.sender(), "-a", mail.recipient())
                    .redirectInput(file.toFile()).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output + Files.readString(root.resolve("dovecot.log")));
        }
        return MaildirListing.of(root.resolve("mail"));
    }

    private static void installScript(Path home, String script) throws IOException {
        Files.createDirectories(home.resolve("sieve"));
        Files.writeString(home.resolve("sieve/filters.sieve"), script);
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("sieve/filters.sieve"));
    }

    private Path writeMessages(Path root) throws IOException {
        var entries = new ArrayList<String>();
        for (int i = 0; i < MAIL.size(); i++) {
            var file = root.resolve("message-" + i + ".eml");
            Files.writeString(file, MAIL.get(i).text());
            entries.add("{\"sender\": \"%s\", \"recipient\": \"%s\", \"file\": \"%s\"}".formatted(MAIL.get(i).sender(),
                    MAIL.get(i).recipient(), file));
        }
        var listing = root.resolve("messages.json");
        Files.writeString(listing, "[" + String.join(",\n", entries) + "]");
        return listing;
    }

    /** The recipients of the replies the relay got, sorted; each is an RFC 3834 auto-reply. */
    private static List<String> replies(SmtpCapture relay) throws InterruptedException {
        var recipients = new ArrayList<String>();
        SmtpCapture.Mail reply;
        while ((reply = relay.next(2)) != null) {
            assertTrue(reply.data().contains("\r\nAuto-Submitted: auto-replied"), reply.data());
            assertTrue(reply.data().contains("Subject: Out of office\r\n"), reply.data());
            recipients.addAll(reply.recipients());
        }
        recipients.sort(null);
        return recipients;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).inheritIO().start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", command));
    }

    /** Dovecot's Maildir++ read as imaplib lists it: "MAILBOX|SUBJECT|FLAGS", flags from the :2, suffix. */
    private static final class MaildirListing {
        private static final Map<Character, String> SYSTEM = Map.of('S', "\\Seen", 'F', "\\Flagged",
                'R', "\\Answered", 'T', "\\Deleted", 'D', "\\Draft");

        static List<String> of(Path root) throws IOException {
            var lines = new ArrayList<String>();
            folder(root, "INBOX", lines);
            try (Stream<Path> entries = Files.list(root)) {
                for (var folder : entries.filter(p -> p.getFileName().toString().startsWith(".")
                        && Files.isDirectory(p)).toList()) {
                    folder(folder, folder.getFileName().toString().substring(1), lines);
                }
            }
            lines.sort(null);
            return lines;
        }

        private static void folder(Path folder, String name, List<String> lines) throws IOException {
            var keywords = keywords(folder.resolve("dovecot-keywords"));
            for (var sub : List.of("new", "cur")) {
                if (!Files.isDirectory(folder.resolve(sub))) {
                    continue;
                }
                try (Stream<Path> files = Files.list(folder.resolve(sub))) {
                    for (var file : files.toList()) {
                        lines.add(name + "|" + subject(file) + "|" + flags(file.getFileName().toString(), keywords));
                    }
                }
            }
        }

        private static String subject(Path file) throws IOException {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("Subject: "))
                    .findFirst().orElseThrow().substring(9).strip();
        }

        private static String flags(String fileName, Map<Integer, String> keywords) {
            int info = fileName.indexOf(":2,");
            var flags = new ArrayList<String>();
            if (info >= 0) {
                for (char c : fileName.substring(info + 3).toCharArray()) {
                    if (SYSTEM.containsKey(c)) {
                        flags.add(SYSTEM.get(c));
                    } else if (c >= 'a' && c <= 'z') {
                        flags.add(keywords.get(c - 'a'));
                    }
                }
            }
            flags.sort(null);
            return String.join(" ", flags);
        }

        private static Map<Integer, String> keywords(Path file) throws IOException {
            var keywords = new HashMap<Integer, String>();
            if (Files.exists(file)) {
                for (var line : Files.readAllLines(file)) {
                    var parts = line.split(" ", 2);
                    keywords.put(Integer.parseInt(parts[0]), parts[1]);
                }
            }
            return new TreeMap<>(keywords);
        }
    }
}
