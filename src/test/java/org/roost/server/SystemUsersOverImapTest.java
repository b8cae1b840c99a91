package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigLoader;

/**
 * The acceptance path: an operator sets {@code auth.system: true} and system users log in over IMAPS;
 * failed logins are delayed, counted by reason, and a connection is closed after limits.maxFailedLogins.
 * The plaintext listener is on ::1 (IPv6) and outside secureNetworks, so it requires STARTTLS first.
 */
class SystemUsersOverImapTest {
    @TempDir
    Path dir;
    private RoostServer server;

    @BeforeEach
    void start() throws Exception {
        var fixtures = Path.of("src/test/resources/auth/system").toAbsolutePath();
        var config = dir.resolve("roost.yaml");
        Files.writeString(config, """
                data: %s
                listeners:
                  imap: {address: "::1", port: 0}
                  imaps: {address: "127.0.0.1", port: 0}
                  pop3: {enabled: false}
                  pop3s: {enabled: false}
                admin: {port: 0, enabled: false}
                auth:
                  system: true
                  databases: [system]
                  passwdPath: %s
                  shadowPath: %s
                  secureNetworks: []
                  penalty: {initialDelay: 10ms, maxDelay: 40ms}
                limits: {maxFailedLogins: 3}
                """.formatted(dir.resolve("data"), fixtures.resolve("passwd"), fixtures.resolve("shadow")));
        server = new RoostServer(new ConfigLoader().load(config, Map.of()));
        server.start(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aSystemUserLogsInOverImapsWithTheShadowPassword() throws Exception {
        try (var c = new Client(tls(new Socket("127.0.0.1", server.port("imaps"))))) {
            assertTrue(c.line().startsWith("* OK"));
            var answer = c.command("a LOGIN alice \"alice pw\"");
            assertTrue(answer.getLast().startsWith("a OK"), answer.toString());
        }
        try (var c = new Client(tls(new Socket("127.0.0.1", server.port("imaps"))))) {
            c.line();
            assertTrue(c.command("b LOGIN root \"root pw\"").getLast().startsWith("b NO [AUTHENTICATIONFAILED]"),
                    "uid 0 never logs in");
        }
    }

    @Test
    void plaintextOverIpv6NeedsStartTlsThenFailuresEndInByeAndAreCounted() throws Exception {
        try (var c = new Client(new Socket("::1", server.port("imap")))) {
            var greeting = c.line();
            assertTrue(greeting.contains("LOGINDISABLED") && greeting.contains("STARTTLS"), greeting);
            assertTrue(c.command("a LOGIN alice \"alice pw\"").getLast().startsWith("a NO [PRIVACYREQUIRED]"));
            assertTrue(c.command("b STARTTLS").getLast().startsWith("b OK"));
            try (var t = new Client(tls(c.socket))) {
                assertTrue(t.command("c LOGIN alice wrong").getLast().startsWith("c NO [AUTHENTICATIONFAILED]"));
                assertTrue(t.command("d LOGIN nosuchuser wrong").getLast().startsWith("d NO [AUTHENTICATIONFAILED]"),
                        "unknown users get the same answer");
                var last = t.command("e AUTHENTICATE PLAIN " + java.util.Base64.getEncoder().encodeToString(
                        "\0locked\0locked pw".getBytes(StandardCharsets.UTF_8)));
                assertTrue(last.getLast().startsWith("e NO [AUTHENTICATIONFAILED]"), last.toString());
                assertTrue(last.getFirst().startsWith("* BYE") || t.line().startsWith("* BYE"), last.toString());
            }
        }
        var metrics = server.metrics().scrape("text/plain");
        for (var reason : List.of("password", "unknown_user", "nologin", "too_many_attempts")) {
            assertTrue(metrics.contains("roost_auth_failures_total{protocol=\"imap\",reason=\"" + reason + "\"} 1.0"),
                    reason + " in\n" + grep(metrics, "roost_auth_failures"));
        }
        assertTrue(metrics.contains("roost_login_penalty_seconds_count{protocol=\"imap\"} 3"), grep(metrics, "penalty"));
        assertFalse(metrics.contains("alice pw"));
    }

    private static String grep(String text, String word) {
        return text.lines().filter(l -> l.contains(word)).reduce("", (a, b) -> a + b + "\n");
    }

    private static SSLSocket tls(Socket plain) throws Exception {
        var context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        var ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        ssl.startHandshake();
        return ssl;
    }

    /** A line-at-a-time IMAP client, enough for LOGIN and STARTTLS. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(20_000);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        String line() throws IOException {
            var b = new ByteArrayOutputStream();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        List<String> command(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            var tag = text.substring(0, text.indexOf(' ') + 1);
            var lines = new ArrayList<String>();
            for (String l = line(); ; l = line()) {
                lines.add(l);
                if (l.startsWith(tag) || l.isEmpty()) {
                    return lines;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
