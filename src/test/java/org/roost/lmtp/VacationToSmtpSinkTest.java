package org.roost.lmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RequiredTool;
import org.roost.testing.TestServer;

/**
 * Vacation end to end (RFC 5230, RFC 3834): messages delivered over LMTP to a user whose active script answers them,
 * the replies sent through {@code sieve.relay} to Postfix's {@code smtp-sink}, which writes each transaction it takes
 * to a file of its own (envelope first, as {@code X-Mail-Args}/{@code X-Rcpt-Args}). One reply per sender per
 * {@code :days}, none to list mail, and the reply's header as RFC 3834 asks.
 */
@Timeout(120)
class VacationToSmtpSinkTest {
    private static final String SCRIPT = """
            require "vacation";
            vacation :days 2 :subject "Away until Monday" :addresses ["alice@example.org"] "I am away.";
            """;

    @TempDir
    Path dir;
    private Process sink;
    private Path dumps;
    private TestServer server;

    @BeforeEach
    void startSink() throws Exception {
        RequiredTool.require("postfix", "smtp-sink");
        dumps = Files.createDirectories(dir.resolve("sink"));
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // -u: the user smtp-sink runs as once it has its socket (it refuses to run as root otherwise)
        sink = new ProcessBuilder("smtp-sink", "-u", System.getProperty("user.name"), "-d", dumps + "/%H%M%S.",
                "127.0.0.1:" + port, "10").redirectErrorStream(true).redirectOutput(dir.resolve("sink.log").toFile())
                .start();
        awaitListening(port);
        var home = Files.createDirectories(dir.resolve("alice/sieve"));
        Files.writeString(home.resolve("away.sieve"), SCRIPT);
        Files.createSymbolicLink(dir.resolve("alice/.dovecot.sieve"), Path.of("sieve/away.sieve"));
        Files.writeString(dir.resolve("passwd"), "alice:{PLAIN}pw::::" + dir.resolve("alice") + "::\n");
        server = TestServer.start(dir, Map.of("ROOST_LISTENERS_LMTP_ENABLED", "true",
                "ROOST_SIEVE_RELAY", "127.0.0.1:" + port, "ROOST_DELIVERY_HOSTNAME", "mx.example.org"));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.destroy();
            sink.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitListening(int port) throws Exception {
        for (int i = 0; i < 600; i++) {
            assertTrue(sink.isAlive(), () -> "smtp-sink exited: " + log());
            try (var probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("smtp-sink did not listen: " + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("sink.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Delivers one message from {@code sender}; the reply, if any, has gone to the relay when LMTP answers. */
    private void deliver(String sender, String id, String extraHeader) throws Exception {
        var message = ("From: Friend <" + sender + ">\r\nTo: Alice <alice@example.org>\r\nSubject: Lunch?\r\n"
                + "Message-ID: <" + id + ">\r\nReferences: <earlier@example.net>\r\n" + extraHeader
                + "\r\nShall we?\r\n.\r\n");
        try (var lmtp = RawLmtpClient.connect(server.lmtpPort())) {
            lmtp.reply();
            lmtp.send("LHLO mta.example.net\r\nMAIL FROM:<" + sender + ">\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
            assertTrue(lmtp.replies(4).getLast().startsWith("354"));
            lmtp.send(message);
            assertTrue(lmtp.reply().startsWith("250 "));
        }
    }

    private List<String> replies() throws IOException {
        try (Stream<Path> files = Files.list(dumps)) {
            return files.sorted().map(file -> {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }

    @Test
    void oneReplyPerSenderPerDaysWithTheHeadersOfAnAutoReply() throws Exception {
        deliver("friend@example.net", "m1@example.net", "");
        var replies = replies();
        assertEquals(1, replies.size(), replies::toString);
        var reply = replies.getFirst();
        assertTrue(reply.startsWith("X-Client-Addr: 127.0.0.1\n"), reply);
        assertTrue(reply.contains("\nX-Mail-Args: <>\n"), "RFC 5230 §5.1: from the null sender\n" + reply);
        assertTrue(reply.contains("\nX-Rcpt-Args: <friend@example.net>\n"), reply);
        for (var field : List.of("To: <friend@example.net>", "Subject: Away until Monday",
                "In-Reply-To: <m1@example.net>", "References: <earlier@example.net> <m1@example.net>",
                "Auto-Submitted: auto-replied (vacation)", "Precedence: bulk")) {
            assertTrue(reply.contains("\n" + field + "\n"), field + " in\n" + reply);
        }
        assertTrue(Pattern.compile("\nFrom: [^\n]*alice@example\\.org").matcher(reply).find(), reply);
        assertTrue(Pattern.compile("\nMessage-ID: <[^>\n]+@mx\\.example\\.org>\n").matcher(reply).find(), reply);
        assertTrue(reply.contains("\n\nI am away.\n"), reply);

        deliver("friend@example.net", "m2@example.net", "");
        assertEquals(1, replies().size(), "the same sender within :days gets no second reply");
        deliver("list-bounces@example.net", "m3@example.net", "List-Id: <dev.example.net>\r\n");
        assertEquals(1, replies().size(), "RFC 5230 §4.6: no reply to list mail");
        deliver("boss@example.com", "m4@example.com", "");
        assertEquals(2, replies().size(), "another sender gets a reply of their own");
        assertTrue(replies().stream().anyMatch(r -> r.contains("\nX-Rcpt-Args: <boss@example.com>\n")));

        passDays();
        deliver("friend@example.net", "m5@example.net", "");
        var last = replies();
        assertEquals(3, last.size(), "after :days the same sender is answered again");
        assertTrue(last.stream().anyMatch(r -> r.contains("\nIn-Reply-To: <m5@example.net>\n")), last::toString);
    }

    /** What two days do to the remembered replies: every expiry ({@code EXPIRY KEY} lines) moved into the past. */
    private void passDays() throws IOException {
        var log = dir.resolve("alice/.roost-sieve-responses");
        long past = System.currentTimeMillis() / 1000 - 1;
        var lines = Files.readAllLines(log).stream().map(line -> past + line.substring(line.indexOf(' '))).toList();
        Files.write(log, lines);
    }
}
