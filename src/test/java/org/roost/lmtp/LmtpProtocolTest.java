package org.roost.lmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.auth.password.Passwords;
import org.roost.testing.TestServer;

/**
 * LMTP as an MTA speaks it, byte for byte: the greeting and LHLO, pipelined transactions with a reply per
 * recipient after the data (RFC 2033 §4.2, §4.3), and every kind of bad input with its precise reply, after
 * which the connection goes on. Timeouts only catch hangs.
 */
@Timeout(60)
class LmtpProtocolTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;

    /** alice has a 1 KiB quota (a Dovecot userdb field); bob has none. */
    private TestServer start(Map<String, String> overrides) throws IOException {
        Files.writeString(dir.resolve("passwd"), "alice:" + Passwords.hash("PLAIN", "pw".getBytes(StandardCharsets.UTF_8))
                + "::::::userdb_quota_rule=*:storage=1k\nbob:{PLAIN}pw::::::\n");
        var env = new HashMap<>(Map.of("ROOST_LISTENERS_LMTP_ENABLED", "true", "ROOST_QUOTA_WARNINGS", ""));
        env.putAll(overrides);
        server = TestServer.start(dir, env);
        return server;
    }

    private RawLmtpClient client() throws IOException {
        return RawLmtpClient.connect(server.lmtpPort());
    }

    private List<Path> messages(String user, String folder) throws IOException {
        var cur = dir.resolve("data/mail").resolve(user).resolve(folder.isEmpty() ? "" : "." + folder).resolve("cur");
        if (!Files.isDirectory(cur)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cur)) {
            return files.sorted().toList();
        }
    }

    private String only(String user) throws IOException {
        var files = messages(user, "");
        assertEquals(1, files.size(), files::toString);
        return Files.readString(files.getFirst());
    }

    @Test
    void greetingAndLhloListTheExtensions() throws Exception {
        start(Map.of());
        try (var c = client()) {
            assertEquals("220 localhost Roost LMTP ready", c.reply());
            c.send("LHLO mta.example\r\n");
            assertEquals("""
                    250-localhost
                    250-PIPELINING
                    250-ENHANCEDSTATUSCODES
                    250-8BITMIME
                    250-SMTPUTF8
                    250-CHUNKING
                    250 SIZE 67108864""", c.reply(), "no STARTTLS on loopback");
            c.send("EHLO x\r\nHELO x\r\nSTARTTLS\r\nVRFY alice\r\nEXPN all\r\nNOOP\r\nQUIT\r\n");
            assertEquals(List.of("500 5.5.1 This is LMTP: use LHLO (RFC 2033 section 4.1)",
                    "500 5.5.1 This is LMTP: use LHLO (RFC 2033 section 4.1)",
                    "502 5.5.1 STARTTLS is not offered on this connection",
                    "252 2.5.2 VRFY is refused; send RCPT to try a delivery",
                    "502 5.5.1 EXPN is not supported", "250 2.0.0 OK",
                    "221 2.0.0 localhost closing connection"), c.replies(7));
            assertNull(c.reply());
        }
    }

    /** One pipelined write: a reply per command in order, then one per accepted recipient after the data. */
    @Test
    void pipelinedTransactionWithReplyPerRecipientAndOneFileForAll() throws Exception {
        start(Map.of());
        try (var c = client().greeted()) {
            c.send("MAIL FROM:<sender@example.org> BODY=8BITMIME\r\nRCPT TO:<bob@example.org>\r\n"
                    + "RCPT TO:<nobody@example.org>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
            assertEquals(List.of("250 2.1.0 Sender OK", "250 2.1.5 <bob@example.org> OK",
                    "550 5.1.1 <nobody@example.org> No such user here", "250 2.1.5 <alice@example.org> OK",
                    "354 Start mail input; end with <CRLF>.<CRLF>"), c.replies(5));
            c.send("Subject: caf\u00e9\r\n\r\n..leading dot\r\n.\r\n");
            assertEquals(List.of("250 2.0.0 <bob@example.org> Saved", "250 2.0.0 <alice@example.org> Saved"),
                    c.replies(2));
        }
        var bob = only("bob");
        assertTrue(bob.startsWith("Return-Path: <sender@example.org>\r\nReceived: from client.example ([127.0.0.1])\r\n"
                + "\tby localhost (Roost) with LMTP id "), bob);
        assertTrue(bob.endsWith("Subject: caf\u00e9\r\n\r\n.leading dot\r\n"), bob);
        assertFalse(bob.contains("Delivered-To:"), "one file for both: no per-recipient field");
        assertEquals(Files.getAttribute(messages("bob", "").getFirst(), "unix:ino"),
                Files.getAttribute(messages("alice", "").getFirst(), "unix:ino"), "the second is a hard link");
    }

    @Test
    void oneRecipientGetsDeliveredToAndTheNullSenderAnEmptyReturnPath() throws Exception {
        start(Map.of());
        try (var c = client().greeted()) {
            c.send("MAIL FROM:<>\r\nRCPT TO:<bob+news@example.org>\r\nDATA\r\n");
            c.replies(3);
            c.send("Subject: bounce\r\n\r\nx\r\n.\r\n");
            assertEquals("250 2.0.0 <bob+news@example.org> Saved", c.reply());
        }
        var text = only("bob");
        assertTrue(text.startsWith("Return-Path: <>\r\nDelivered-To: bob+news@example.org\r\nReceived: "), text);
        assertTrue(text.contains("\r\n\tfor <bob+news@example.org>; "), text);
    }

    @Test
    void commandsOutOfOrderAreRefusedAndTheConnectionGoesOn() throws Exception {
        start(Map.of());
        try (var c = client()) {
            c.reply();
            c.send("MAIL FROM:<a@b.c>\r\nDATA\r\nLHLO x.y\r\n");
            assertEquals(List.of("503 5.5.1 Send LHLO first", "503 5.5.1 Send LHLO first"), c.replies(2));
            c.reply();
            c.send("RCPT TO:<bob@x.y>\r\nDATA\r\nMAIL FROM:<a@b.c>\r\nMAIL FROM:<a@b.c>\r\nDATA\r\n"
                    + "RCPT TO:<nobody@x.y>\r\nDATA\r\nRSET\r\nDATA\r\nNOOP\r\n");
            assertEquals(List.of("503 5.5.1 Send MAIL FROM first", "503 5.5.1 Send MAIL FROM first",
                    "250 2.1.0 Sender OK", "503 5.5.1 A transaction is in progress; send RSET first",
                    "503 5.5.1 No valid recipients", "550 5.1.1 <nobody@x.y> No such user here",
                    "503 5.5.1 No valid recipients", "250 2.0.0 OK", "503 5.5.1 Send MAIL FROM first",
                    "250 2.0.0 OK"), c.replies(10));
        }
    }

    @Test
    void badContentGetsAReplyPerRecipientAndNothingIsDelivered() throws Exception {
        start(Map.of("ROOST_DELIVERY_MAXMESSAGESIZE", "2048"));
        try (var c = client().greeted()) {
            c.send("MAIL FROM:<a@b.c> SIZE=4096\r\n");
            assertEquals("552 5.3.4 Message size exceeds fixed maximum message size", c.reply());
            var cases = Map.of(
                    "Subject: big\r\n\r\n" + "x".repeat(3000) + "\r\n", "552 5.3.4 Message size exceeds fixed maximum message size",
                    "Subject: lf\n\nbare\n", "554 5.6.0 Message contains a bare CR or LF; lines must end with CRLF (RFC 5321 section 2.3.8)",
                    "Subject: nul\r\n\r\na\0b\r\n", "554 5.6.0 Message contains NUL characters",
                    "Subject: 8\r\n\r\ncaf\u00e9\r\n", "554 5.6.0 Message contains 8-bit data, but MAIL FROM did not declare BODY=8BITMIME");
            for (var entry : cases.entrySet()) {
                c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<bob@x.y>\r\nRCPT TO:<bob@x.y>\r\nDATA\r\n");
                c.replies(4);
                c.send(entry.getKey() + "\r\n.\r\n");
                assertEquals(List.of(entry.getValue(), entry.getValue()), c.replies(2), entry.getKey());
            }
            c.send("NOOP\r\n");
            assertEquals("250 2.0.0 OK", c.reply());
        }
        assertEquals(List.of(), messages("bob", ""));
    }

    @Test
    void overlongLinesAndGarbageAreAnsweredThenTooManyErrorsClose() throws Exception {
        start(Map.of());
        try (var c = client().greeted()) {
            c.send("NOOP " + "x".repeat(70_000) + "\r\nNOOP\r\n");
            assertEquals(List.of("500 5.5.2 Line too long", "250 2.0.0 OK"), c.replies(2));
            c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<j\u00f6rg@x.y>\r\nRCPT TO:<bob@x.y> NOTIFY=NEVER\r\n");
            assertEquals(List.of("250 2.1.0 Sender OK",
                    "553 5.6.7 Non-ASCII recipient address needs SMTPUTF8 (RFC 6531 section 3.5)",
                    "555 5.5.4 Unsupported parameter: NOTIFY"), c.replies(3));
            c.send("\u0000\u0001\u00ff\r\n".repeat(25));
            var replies = c.replies(20); // the 555 above was the first error since MAIL
            assertEquals("500 5.5.1 Unknown command", replies.getFirst());
            assertEquals("421 4.7.0 localhost Too many errors; closing the connection", replies.getLast());
            assertNull(c.reply());
        }
    }

    @Test
    void tooManyRecipientsAreRefusedOneByOne() throws Exception {
        start(Map.of("ROOST_DELIVERY_MAXRECIPIENTS", "2"));
        try (var c = client().greeted()) {
            c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<bob@x.y>\r\nRCPT TO:<alice@x.y>\r\nRCPT TO:<bob@x.y>\r\n");
            assertEquals("452 4.5.3 Too many recipients", c.replies(4).getLast());
        }
    }

    /** RFC 3030: chunks answered one by one, BDAT LAST per recipient; refused chunks are still read. */
    @Test
    void chunkingAndItsErrors() throws Exception {
        start(Map.of());
        try (var c = client().greeted()) {
            c.send("BDAT 5\r\nhello");
            assertEquals("503 5.5.1 Send MAIL FROM first", c.reply());
            c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<bob@x.y>\r\nBDAT 12\r\nSubject: x\r\nBDAT 6 LAST\r\n\r\nhi\r\n");
            assertEquals(List.of("250 2.1.0 Sender OK", "250 2.1.5 <bob@x.y> OK", "250 2.0.0 12 octets received",
                    "250 2.0.0 <bob@x.y> Saved"), c.replies(4));
            c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<bob@x.y>\r\nBDAT 3\r\nabcDATA\r\nBDAT 1 LAST\r\nx");
            assertEquals(List.of("250 2.1.0 Sender OK", "250 2.1.5 <bob@x.y> OK", "250 2.0.0 3 octets received",
                    "503 5.5.1 DATA cannot follow BDAT in one transaction"), c.replies(4));
            assertEquals("250 2.0.0 <bob@x.y> Saved", c.reply(), "the LAST chunk still ends the transaction");
            c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<nobody@x.y>\r\nBDAT 4 LAST\r\nabcdNOOP\r\n");
            assertEquals(List.of("250 2.1.0 Sender OK", "550 5.1.1 <nobody@x.y> No such user here",
                    "250 2.0.0 OK"), c.replies(3), "BDAT LAST without an accepted recipient has no reply");
        }
        var texts = new java.util.ArrayList<String>();
        for (var file : messages("bob", "")) {
            texts.add(Files.readString(file));
        }
        assertEquals(2, texts.size());
        assertTrue(texts.stream().anyMatch(t -> t.endsWith("\r\nSubject: x\r\n\r\nhi\r\n")), texts::toString);
        assertTrue(texts.stream().anyMatch(t -> t.endsWith("\r\nabcx")), texts::toString);
    }

    @Test
    void overQuotaIsRefusedAtDataThenAtRcptAndOthersStillGetTheMessage() throws Exception {
        start(Map.of());
        try (var c = client().greeted()) {
            c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<alice@x.y>\r\nRCPT TO:<bob@x.y>\r\nDATA\r\n");
            c.replies(4);
            c.send("Subject: big\r\n\r\n" + "y".repeat(1500) + "\r\n.\r\n");
            assertEquals(List.of("552 5.2.2 <alice@x.y> Quota exceeded (mailbox for user is full)",
                    "250 2.0.0 <bob@x.y> Saved"), c.replies(2));
            c.send("MAIL FROM:<a@b.c> SIZE=2000\r\nRCPT TO:<alice@x.y>\r\n");
            assertEquals("552 5.2.2 <alice@x.y> Quota exceeded (mailbox for user is full)", c.replies(2).getLast());
        }
        assertEquals(List.of(), messages("alice", ""));
        assertEquals(1, messages("bob", "").size());
    }

    @Test
    void fullTempfailMakesOverQuotaTemporary() throws Exception {
        start(Map.of("ROOST_QUOTA_FULLTEMPFAIL", "true"));
        try (var c = client().greeted()) {
            c.send("MAIL FROM:<a@b.c> SIZE=5000\r\nRCPT TO:<alice@x.y>\r\n");
            assertEquals("452 4.2.2 <alice@x.y> Quota exceeded (mailbox for user is full)", c.replies(2).getLast());
        }
    }

    @Test
    void detailsPickAMailboxWhenConfigured() throws Exception {
        start(Map.of("ROOST_DELIVERY_SAVETODETAILMAILBOX", "true"));
        Files.createDirectories(dir.resolve("data/mail/bob/.lists/cur"));
        try (var c = client().greeted()) {
            for (var rcpt : List.of("bob+lists@x.y", "bob+nosuch@x.y", "bob+a/b%@x.y")) {
                c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<" + rcpt + ">\r\nDATA\r\n");
                c.replies(3);
                c.send("Subject: " + rcpt + "\r\n\r\nx\r\n.\r\n");
                assertEquals("250 2.0.0 <" + rcpt + "> Saved", c.reply());
            }
        }
        assertEquals(1, messages("bob", "lists").size());
        assertEquals(2, messages("bob", "").size(), "a missing or impossible mailbox means INBOX");
    }

    @Test
    void aStoreThatFailsIsATemporaryFailureAndTheConnectionGoesOn() throws Exception {
        start(Map.of());
        Files.createDirectories(dir.resolve("data/mail"));
        Files.writeString(dir.resolve("data/mail/bob"), "not a Maildir");
        try (var c = client().greeted()) {
            c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<bob@x.y>\r\nDATA\r\n");
            c.replies(3);
            c.send("Subject: x\r\n\r\nx\r\n.\r\nNOOP\r\n");
            assertEquals(List.of("451 4.3.0 <bob@x.y> Temporary failure in the mail store", "250 2.0.0 OK"),
                    c.replies(2));
        }
    }

    @Test
    void silenceEndsWithA421() throws Exception {
        start(Map.of("ROOST_DELIVERY_TIMEOUT", "1s"));
        try (var c = client().greeted()) {
            assertEquals("421 4.4.2 localhost Timeout; closing the connection", c.reply());
            assertNull(c.reply());
        }
    }

    /** LMTP has no login: the pre-auth deadline of IMAP and POP3 never cuts off a busy MTA. */
    @Test
    void aBusyClientOutlivesThePreAuthDeadline() throws Exception {
        start(Map.of("ROOST_LIMITS_PREAUTHTIMEOUT", "1s", "ROOST_DELIVERY_TIMEOUT", "10s"));
        try (var c = client().greeted()) {
            long end = System.nanoTime() + 2_500_000_000L;
            while (System.nanoTime() < end) {
                c.send("NOOP\r\n");
                assertEquals("250 2.0.0 OK", c.reply());
                Thread.sleep(200);
            }
        }
    }

    @Test
    void shutdownSays421ToAnIdleClient() throws Exception {
        start(Map.of());
        try (var c = client().greeted()) {
            server.server().shutdown();
            assertEquals("421 4.3.0 localhost Server shutting down.", c.reply());
        }
        server = null;
    }

    /**
     * RFC 3207: a client off loopback (here: as a trusted balancer's PROXY header says) is offered STARTTLS;
     * after the handshake the client starts over with LHLO, is no longer offered it, and the message is
     * received "with LMTPS" (RFC 3848).
     */
    @Test
    void startTlsIsOfferedOffLoopbackAndStartsOver() throws Exception {
        start(Map.of("ROOST_LISTENERS_LMTP_PROXYPROTOCOL", "true", "ROOST_PROXY_TRUSTEDNETWORKS", "127.0.0.0/8"));
        try (var plain = new java.net.Socket("127.0.0.1", server.lmtpPort())) {
            plain.setSoTimeout(30_000);
            plain.getOutputStream().write("PROXY TCP4 192.0.2.10 192.0.2.1 40000 24\r\n".getBytes());
            var c = RawLmtpClient.over(plain, plain.getInputStream(), plain.getOutputStream());
            c.reply();
            c.send("LHLO mta.example\r\n");
            assertTrue(c.reply().endsWith("250-SIZE 67108864\n250 STARTTLS"));
            c.send("STARTTLS\r\n");
            assertEquals("220 2.0.0 Ready to start TLS", c.reply());
            var tls = (javax.net.ssl.SSLSocket) org.roost.testing.TrustAll.context().getSocketFactory()
                    .createSocket(plain, "localhost", server.lmtpPort(), true);
            tls.startHandshake();
            var secured = RawLmtpClient.over(tls, tls.getInputStream(), tls.getOutputStream());
            secured.send("MAIL FROM:<a@b.c>\r\n");
            assertEquals("503 5.5.1 Send LHLO first", secured.reply(), "RFC 3207 §4.2: everything starts over");
            secured.send("LHLO mta.example\r\n");
            assertFalse(secured.reply().contains("STARTTLS"));
            secured.send("STARTTLS\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<bob@x.y>\r\nDATA\r\n");
            assertEquals("503 5.5.1 TLS is already active", secured.reply());
            secured.replies(3);
            secured.send("Subject: tls\r\n\r\nx\r\n.\r\n");
            assertEquals("250 2.0.0 <bob@x.y> Saved", secured.reply());
        }
        var text = only("bob");
        assertTrue(text.contains("from mta.example ([192.0.2.10])") && text.contains(" with LMTPS id "), text);
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsRefused() throws Exception {
        start(Map.of("ROOST_LISTENERS_LMTP_PROXYPROTOCOL", "true", "ROOST_PROXY_TRUSTEDNETWORKS", "127.0.0.0/8"));
        try (var plain = new java.net.Socket("127.0.0.1", server.lmtpPort())) {
            plain.setSoTimeout(30_000);
            plain.getOutputStream().write("PROXY TCP4 192.0.2.10 192.0.2.1 40000 24\r\n".getBytes());
            var c = RawLmtpClient.over(plain, plain.getInputStream(), plain.getOutputStream());
            c.greeted();
            c.send("STARTTLS\r\nMAIL FROM:<injected@x.y>\r\n");
            assertEquals("554 5.5.1 Commands pipelined after STARTTLS; closing", c.reply());
            assertNull(c.reply());
        }
    }

    @Test
    void aUnixSocketServesTheSameProtocol() throws Exception {
        var socket = dir.resolve("run/lmtp");
        start(Map.of("ROOST_LISTENERS_LMTP_PATH", socket.toString(), "ROOST_DELIVERY_TIMEOUT", "2s"));
        assertEquals("rw-rw-rw-", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket)));
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        try (var c = RawLmtpClient.over(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel))) {
            c.greeted();
            c.send("MAIL FROM:<a@b.c>\r\nRCPT TO:<bob@x.y>\r\nDATA\r\n");
            c.replies(3);
            c.send("Subject: unix\r\n\r\nx\r\n.\r\n");
            assertEquals("250 2.0.0 <bob@x.y> Saved", c.reply());
            assertEquals("421 4.4.2 localhost Timeout; closing the connection", c.reply(), "timeouts hold here too");
        }
        assertTrue(only("bob").contains("from client.example ([127.0.0.1])"));
    }
}
