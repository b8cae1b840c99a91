package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.auth.password.Passwords;
import org.roost.testing.ImapCapabilities;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Login penalties as clients meet them, through Python's imaplib and poplib and the raw IMAP client, each client
 * bound to its own 127.x.y.z source address so that one machine looks like many client hosts. The three defects
 * found from outside (issue 11, part 2) and the kick of a waiting session. Timeouts only catch hangs: a penalty
 * that should not happen is made far longer than any of them.
 */
class LoginPenaltyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A user whose password check takes a while (SHA512-CRYPT with many rounds), so that guesses overlap. */
    private static final String SLOW = "slow";
    private static final String SLOW_PASSWORD = "patience";

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void guessesFromOtherAddressesDoNotDelayTheUsersCorrectPasswordFromAFreshOne() throws Exception {
        try (var server = TestServer.start(dir, Map.of(
                "ROOST_AUTH_PENALTY_INITIALDELAY", "120s", "ROOST_AUTH_PENALTY_MAXDELAY", "120s"))) {
            var guesses = python(server, "imap", "sequential", TestServer.ALICE, "guess",
                    "127.0.5.1", "127.0.5.2", "127.0.5.3");
            assertEquals(3, count(guesses, "LOGIN NO [AUTHENTICATIONFAILED]"), guesses.toString());
            var owner = python(server, "imap", "sequential", TestServer.ALICE, TestServer.ALICE_PASSWORD, "127.0.5.9");
            assertEquals(List.of("127.0.5.9 LOGIN OK [CAPABILITY " + ImapCapabilities.AFTER_LOGIN + "] Logged in", "127.0.5.9 AFTER OK NOOP completed."), owner);
            assertEquals(4, meter(server, "roost_login_penalty_seconds_count{protocol=\"imap\"}"));
            assertEquals(0, meter(server, "roost_login_penalty_seconds_sum{protocol=\"imap\"}"), "no attempt waited");
            assertEquals(3, meter(server, "roost_login_penalized_addresses"), "the guessing addresses are remembered");
        }
    }

    @Test
    @Timeout(180)
    void fiftyAddressesGuessingOnePasswordAtOnceAreCheckedOneAtATimeAndTheRestRefusedAtOnce() throws Exception {
        writeUsersWithASlowOne();
        try (var server = TestServer.start(dir, Map.of("ROOST_LISTENERS_POP3_ENABLED", "true"))) {
            var imap = python(server, "imap", "parallel", SLOW, "guess", sources("127.0.6.", 50));
            assertEquals(50, imap.size(), imap.toString());
            long refused = count(imap, "LOGIN NO [UNAVAILABLE] Temporary authentication failure.");
            long checked = count(imap, "LOGIN NO [AUTHENTICATIONFAILED] Authentication failed.");
            assertEquals(50, refused + checked, imap.toString());
            assertTrue(refused >= 25, "most parallel guesses must be refused unchecked: " + imap);
            var pop3 = python(server, "pop3", "parallel", SLOW, "guess", sources("127.0.7.", 50));
            long pop3Refused = count(pop3, "LOGIN NO -ERR [SYS/TEMP] Temporary authentication failure.");
            assertEquals(50, pop3Refused + count(pop3, "LOGIN NO -ERR [AUTH] Authentication failed."), pop3.toString());
            assertTrue(pop3Refused >= 25, pop3.toString());

            assertEquals(refused, meter(server, "roost_login_user_busy_total{address=\"clean\",protocol=\"imap\"}"));
            assertEquals(pop3Refused, meter(server, "roost_login_user_busy_total{address=\"clean\",protocol=\"pop3\"}"));
            assertEquals(refused, meter(server, "roost_auth_failures_total{protocol=\"imap\",reason=\"user_busy\"}"));

            var owner = python(server, "imap", "sequential", SLOW, SLOW_PASSWORD, "127.0.6.200");
            assertEquals("127.0.6.200 AFTER OK NOOP completed.", owner.get(1), "once the storm is over the user gets in");
        }
    }

    @Test
    @Timeout(120)
    void waitingOutAPenaltyIsNotIdleTimeBeforeLogin() throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_PREAUTHTIMEOUT", "2s",
                "ROOST_AUTH_PENALTY_INITIALDELAY", "3s", "ROOST_AUTH_PENALTY_MAXDELAY", "3s",
                "ROOST_LISTENERS_POP3_ENABLED", "true"))) {
            python(server, "imap", "sequential", TestServer.ALICE, "typo", "127.0.8.1");
            var imap = python(server, "imap", "sequential", TestServer.ALICE, TestServer.ALICE_PASSWORD, "127.0.8.1");
            assertEquals("127.0.8.1 AFTER OK NOOP completed.", imap.get(1),
                    "3 s in a penalty are not 2 s of inactivity: " + imap);
            python(server, "pop3", "sequential", TestServer.ALICE, "typo", "127.0.8.2");
            var pop3 = python(server, "pop3", "sequential", TestServer.ALICE, TestServer.ALICE_PASSWORD, "127.0.8.2");
            assertTrue(pop3.get(1).startsWith("127.0.8.2 AFTER OK"), pop3.toString());
        }
    }

    @Test
    @Timeout(60)
    void aKickEndsASessionWaitingOutItsPenaltyAtOnce() throws Exception {
        try (var server = TestServer.start(dir, Map.of(
                "ROOST_AUTH_PENALTY_INITIALDELAY", "120s", "ROOST_AUTH_PENALTY_MAXDELAY", "120s"))) {
            python(server, "imap", "sequential", TestServer.ALICE, "typo", "127.0.9.1");
            try (var waiting = RawImapClient.connect(new InetSocketAddress("127.0.0.1", server.imapPort()), "127.0.9.1")) {
                waiting.greeting();
                waiting.send("a LOGIN alice \"" + TestServer.ALICE_PASSWORD + "\"");
                awaitPenalties(server, 2);
                var id = sessionFrom(server, "127.0.9.1");
                assertEquals(200, admin(server, HttpRequest.newBuilder(adminUri(server, "/admin/sessions/" + id)).DELETE())
                        .statusCode());
                assertEquals("a NO [UNAVAILABLE] Temporary authentication failure.", waiting.readLine());
                assertEquals("* BYE Disconnected by the administrator.", waiting.readLine());
                waiting.assertClosedByServer();
            }
            try (var waiting = RawImapClient.connect(new InetSocketAddress("127.0.0.1", server.imapPort()), "127.0.9.1")) {
                waiting.greeting();
                waiting.send("b LOGIN alice \"" + TestServer.ALICE_PASSWORD + "\"");
                awaitPenalties(server, 3);
                var stopping = Thread.ofVirtual().start(server::close);
                assertEquals("b NO [UNAVAILABLE] Temporary authentication failure.", waiting.readLine());
                assertTrue(waiting.readLine().startsWith("* BYE "), "shutdown ends the wait too");
                stopping.join();
            }
        }
    }

    /** alice and bob as usual, and {@value #SLOW}, whose check costs SHA512-CRYPT with 200,000 rounds. */
    private void writeUsersWithASlowOne() throws IOException {
        var slow = Sha2Crypt.sha512Crypt(SLOW_PASSWORD.getBytes(StandardCharsets.UTF_8), "$6$rounds=200000$penaltytest");
        Files.writeString(dir.resolve("passwd"), String.join("\n",
                TestServer.ALICE + ":" + Passwords.hash("PLAIN", TestServer.ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8)) + "::::::",
                TestServer.BOB + ":" + Passwords.hash("PLAIN", TestServer.BOB_PASSWORD.getBytes(StandardCharsets.UTF_8)) + "::::::",
                SLOW + ":{SHA512-CRYPT}" + slow + "::::::", ""));
    }

    private static String[] sources(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    /** Runs login_from.py; its socket timeout and the process timeout only guard against a hang. */
    private static List<String> python(TestServer server, String protocol, String mode, String user, String password,
            String... sources) throws IOException, InterruptedException, URISyntaxException {
        var script = Path.of(LoginPenaltyTest.class.getResource("/auth/login_from.py").toURI());
        int port = protocol.equals("imap") ? server.imapPort() : server.server().port("pop3");
        var command = new ArrayList<>(List.of("python3", script.toString(), protocol, mode, "127.0.0.1",
                Integer.toString(port), user, password, "30"));
        command.addAll(List.of(sources));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.lines().toList();
    }

    private static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    /** Waits until {@code count} IMAP logins have begun their penalty (zero ones included). */
    private static void awaitPenalties(TestServer server, int count) throws IOException, InterruptedException {
        while (meter(server, "roost_login_penalty_seconds_count{protocol=\"imap\"}") < count) {
            Thread.sleep(20);
        }
    }

    /** The id of the one session from {@code address}. */
    private static String sessionFrom(TestServer server, String address) throws IOException, InterruptedException {
        var list = JSON.readTree(admin(server, HttpRequest.newBuilder(adminUri(server, "/admin/sessions")).GET()).body());
        for (var session : list) {
            if (address.equals(session.path("remoteAddress").asText())) {
                return session.path("id").asText();
            }
        }
        throw new AssertionError("no session from " + address + " in " + list);
    }

    private static HttpResponse<String> admin(TestServer server, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(request.header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The value of one series on /metrics, 0 when it is not there (yet). */
    private static long meter(TestServer server, String series) throws IOException, InterruptedException {
        var metrics = admin(server, HttpRequest.newBuilder(adminUri(server, "/metrics")).GET()).body();
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Math.round(Double.parseDouble(l.substring(series.length() + 1)))).orElse(0L);
    }

    private static URI adminUri(TestServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.adminPort() + path);
    }
}
