package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigLoader;
import org.roost.testing.RawImapClient;

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
        try (var c = RawImapClient.connectTls("127.0.0.1", server.port("imaps"))) {
            assertTrue(c.greeting().startsWith("* OK"));
            var answer = c.tagged("a", "LOGIN alice \"alice pw\"");
            assertTrue(answer.startsWith("a OK"), answer);
        }
        try (var c = RawImapClient.connectTls("127.0.0.1", server.port("imaps"))) {
            c.greeting();
            assertTrue(c.tagged("b", "LOGIN root \"root pw\"").startsWith("b NO [AUTHENTICATIONFAILED]"),
                    "uid 0 never logs in");
        }
    }

    @Test
    void plaintextOverIpv6NeedsStartTlsThenFailuresEndInByeAndAreCounted() throws Exception {
        try (var c = RawImapClient.connect("::1", server.port("imap"))) {
            var greeting = c.greeting();
            assertTrue(greeting.contains("LOGINDISABLED") && greeting.contains("STARTTLS"), greeting);
            assertTrue(c.tagged("a", "LOGIN alice \"alice pw\"").startsWith("a NO [PRIVACYREQUIRED]"));
            assertTrue(c.tagged("b", "STARTTLS").startsWith("b OK"));
            c.startTls();
            assertTrue(c.tagged("c", "LOGIN alice wrong").startsWith("c NO [AUTHENTICATIONFAILED]"));
            assertTrue(c.tagged("d", "LOGIN nosuchuser wrong").startsWith("d NO [AUTHENTICATIONFAILED]"),
                    "unknown users get the same answer");
            var last = c.command("e", "AUTHENTICATE PLAIN " + Base64.getEncoder().encodeToString(
                    "\0locked\0locked pw".getBytes(StandardCharsets.UTF_8)));
            assertTrue(last.getLast().startsWith("e NO [AUTHENTICATIONFAILED]"), last.toString());
            assertTrue(last.getFirst().startsWith("* BYE") || c.readLine().startsWith("* BYE"), last.toString());
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
}
