package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** TLS and authentication with no trusted network: STLS (RFC 2595), POP3S, AUTH (RFC 5034), APOP (RFC 1939 §7). */
class Pop3SecurityTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = Pop3Users.server(dir, Map.of("ROOST_AUTH_SECURENETWORKS", ""));
        server.deliver("alice", "Subject: hi\r\n\r\nbody\r\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutTlsPasswordsAreRefusedAndHiddenFromCapa() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            assertEquals("+OK Capability list follows", c.command("CAPA"));
            assertEquals("TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nSTLS\r\nIMPLEMENTATION Roost\r\n.\r\n",
                    c.multilineText());
            var refused = "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
            assertEquals(refused, c.command("USER alice"));
            assertEquals(refused, c.command("PASS secret"));
            assertEquals(refused, c.command("AUTH PLAIN " + plain("alice", "secret")));
            assertEquals("+OK", c.command("AUTH"));
            assertEquals(".\r\n", c.multilineText(), "a bare AUTH lists no mechanism without TLS");
        }
    }

    @Test
    void stlsUpgradesAndDiscardsPipelinedPlaintext_rfc2595() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            c.sendRaw("STLS\r\nUSER mallory\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK Begin TLS negotiation now.", c.line());
            c.upgrade(server.certificate());
            assertEquals("+OK Capability list follows", c.command("CAPA"));
            assertEquals("TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\n"
                    + "IMPLEMENTATION Roost\r\n.\r\n", c.multilineText());
            assertEquals("-ERR No user name given: send USER first.", c.command("PASS secret"),
                    "the USER pipelined in plaintext was not executed");
            assertEquals("-ERR TLS is already active.", c.command("STLS"));
            c.login("alice", "secret");
            assertEquals("+OK 1 ", c.command("STAT").substring(0, 6));
        }
    }

    @Test
    void pop3sSpeaksTlsFromTheFirstByte() throws Exception {
        try (var c = Pop3TestClient.implicitTls(server.pop3sPort(), server.certificate())) {
            assertTrue(c.greeting.startsWith("+OK Roost POP3 ready."));
            assertEquals("+OK Capability list follows", c.command("CAPA"));
            var caps = c.multilineText();
            assertTrue(caps.contains("USER\r\n") && caps.contains("SASL PLAIN LOGIN\r\n"), caps);
            assertFalse(caps.contains("STLS"), caps);
            c.login("alice", "secret");
            assertEquals("+OK", c.command("RETR 1").substring(0, 3));
            assertEquals("Subject: hi\r\n\r\nbody\r\n.\r\n", c.multilineText());
            c.command("QUIT");
        }
        var metrics = server.server().metrics().scrape("text/plain");
        assertTrue(metrics.contains("roost_commands_total{command=\"RETR\",protocol=\"pop3s\",result=\"OK\"}"), metrics);
    }

    @Test
    void authPlainWithAndWithoutInitialResponse_rfc5034() throws Exception {
        try (var c = Pop3TestClient.implicitTls(server.pop3sPort(), server.certificate())) {
            assertEquals("+OK", c.command("AUTH"));
            assertEquals("PLAIN\r\nLOGIN\r\n.\r\n", c.multilineText());
            assertEquals("-ERR Unsupported authentication mechanism.", c.command("AUTH X-UNKNOWN"));
            assertEquals("-ERR Invalid base64 data in the initial response.", c.command("AUTH PLAIN a=b="));
            assertEquals("+ ", c.command("AUTH PLAIN"), "an empty challenge is '+' and one space");
            assertEquals("-ERR Authentication canceled.", c.command("*"));
            assertEquals("+ ", c.command("AUTH PLAIN"));
            assertEquals("-ERR Invalid base64 data in the authentication response.", c.command("!!!!"));
            assertEquals("-ERR [AUTH] Authentication failed.", c.command("AUTH plain " + plain("alice", "wrong")));
            assertEquals("-ERR Invalid authentication exchange.", c.command("AUTH PLAIN ="),
                    "'=' is an empty initial response, which is no valid PLAIN message");
            assertEquals("+ ", c.command("AUTH PLAIN"));
            assertEquals("+OK Logged in.", c.command(plain("alice", "secret")));
            assertEquals("-ERR AUTH is only valid before authentication.", c.command("AUTH PLAIN " + plain("alice", "secret")));
        }
        try (var c = Pop3TestClient.implicitTls(server.pop3sPort(), server.certificate())) {
            assertEquals("+OK Logged in.", c.command("AUTH PLAIN " + plain("bob", "hunter2")));
        }
        var metrics = server.server().metrics().scrape("text/plain");
        assertTrue(metrics.contains("roost_auth_attempts_total{mechanism=\"PLAIN\",protocol=\"pop3s\",result=\"failure\"} 2.0"), metrics);
    }

    @Test
    void authLoginAsOutlookSendsIt() throws Exception {
        var b64 = Base64.getEncoder();
        try (var c = Pop3TestClient.implicitTls(server.pop3sPort(), server.certificate())) {
            assertEquals("+ " + b64.encodeToString("Username:".getBytes(StandardCharsets.US_ASCII)), c.command("AUTH LOGIN"));
            assertEquals("+ " + b64.encodeToString("Password:".getBytes(StandardCharsets.US_ASCII)),
                    c.command(b64.encodeToString("alice".getBytes(StandardCharsets.US_ASCII))));
            assertEquals("+OK Logged in.", c.command(b64.encodeToString("secret".getBytes(StandardCharsets.US_ASCII))));
        }
    }

    @Test
    void preAuthTimeoutIsADeadlineEvenForABusyClient() throws Exception {
        try (var slow = Pop3Users.server(dir.resolve("slow"),
                Map.of("ROOST_AUTH_SECURENETWORKS", "", "ROOST_LIMITS_PREAUTHTIMEOUT", "1s"));
                var c = new Pop3TestClient(slow.pop3Port())) {
            String line = "";
            for (int i = 0; i < 200 && !line.startsWith("-ERR [SYS/TEMP]"); i++) {
                c.send("CAPA");
                line = c.line();
                if (line.startsWith("+OK")) {
                    c.multiline();
                }
                Thread.sleep(50);
            }
            assertEquals("-ERR [SYS/TEMP] Disconnected for inactivity.", line);
            assertTrue(c.closedByServer());
        }
    }

    static String apopDigest(String greeting, String secret) throws Exception {
        var m = Pattern.compile("(<[^>]+>)").matcher(greeting);
        assertTrue(m.find(), greeting);
        var md5 = MessageDigest.getInstance("MD5").digest((m.group(1) + secret).getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(md5);
    }

    @Test
    void apopNeedsAPlaintextStoredSecret_rfc1939() throws Exception {
        try (var c = new Pop3TestClient(server.pop3Port())) {
            assertEquals("-ERR [AUTH] Authentication failed.", c.command("APOP alice " + apopDigest(c.greeting, "wrong")));
            assertEquals("-ERR [AUTH] Authentication failed.", c.command("APOP bob " + apopDigest(c.greeting, "hunter2")),
                    "bob's password is stored hashed, so APOP cannot work for him");
            assertEquals("-ERR [AUTH] Authentication failed.", c.command("APOP nobody " + apopDigest(c.greeting, "x")));
            assertEquals("-ERR The APOP digest must be 32 hexadecimal digits.", c.command("APOP alice xyz"));
            assertEquals("+OK Logged in.", c.command("APOP alice " + apopDigest(c.greeting, "secret").toUpperCase()));
            assertEquals("+OK 1 ", c.command("STAT").substring(0, 6));
        }
    }

    @Test
    void apopDigestIsBoundToItsOwnGreeting() throws Exception {
        String digest;
        try (var first = new Pop3TestClient(server.pop3Port())) {
            digest = apopDigest(first.greeting, "secret");
        }
        try (var second = new Pop3TestClient(server.pop3Port())) {
            assertEquals("-ERR [AUTH] Authentication failed.", second.command("APOP alice " + digest), "no replay");
        }
    }
}
