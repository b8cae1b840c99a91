package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.PythonScript;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Issue 11: a command's work stops when nobody wants its answer. A SEARCH that would run for
 * minutes (thousands of BODY keys over thousands of messages) is started, then the session is
 * kicked or its client closes the socket: the session must be gone long before the SEARCH could
 * have finished. Timeouts here only catch a session that does not stop; nothing is timed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongCommandCancellationTest {
    private static final int MESSAGES = 2_000;
    /** Every message contains it, so an AND of BODY keys evaluates every key on every message. */
    private static final String WORD = "lorem";
    private TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        // Without the full-text index: once it has caught up it answers these BODY keys in milliseconds,
        // and the SEARCH would finish before the kick (CI saw it). The scan is the long command under test.
        server = TestServer.start(dir, Map.of("ROOST_FTS_ENABLED", "false"));
        seedInbox(dir.resolve("data/mail/" + TestServer.ALICE));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** Messages written into the Maildir directly, as a delivery agent would. */
    private static void seedInbox(Path maildir) throws IOException {
        for (var sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        var body = (WORD + " ipsum dolor sit amet, consectetur adipiscing elit.\r\n").repeat(40);
        for (int i = 1; i <= MESSAGES; i++) {
            var text = "From: a@example.org\r\nSubject: message " + i + "\r\nDate: Mon, 3 Jun 2024 10:00:00 +0000\r\n\r\n" + body;
            Files.writeString(maildir.resolve("cur/1700000000.M" + i + "P1.test:2,S"), text, StandardCharsets.US_ASCII);
        }
    }

    /** A SEARCH of {@code keys} BODY keys, each read from every message. */
    private static String slowSearch(int keys) {
        return "SEARCH" + (" BODY " + WORD).repeat(keys);
    }

    private RawImapClient selected(boolean tls) throws IOException {
        return selected(tls, false);
    }

    /** With {@code compress}, under COMPRESS=DEFLATE (RFC 4978): the looks at the socket go through the inflater. */
    private RawImapClient selected(boolean tls, boolean compress) throws IOException {
        var client = tls ? server.imaps() : server.imap();
        client.greeting();
        assertEquals("a OK", client.tagged("a", "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"")
                .substring(0, 4));
        if (compress) {
            assertEquals("z OK DEFLATE active.", client.tagged("z", "COMPRESS DEFLATE"));
            client.compress();
        }
        assertTrue(client.tagged("b", "SELECT INBOX").startsWith("b OK"));
        return client;
    }

    private void awaitNoSessions() throws InterruptedException {
        while (server.server().sessions().size() > 0) {
            Thread.sleep(10);
        }
    }

    private HttpResponse<String> kick(String user) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/admin/sessions?user=" + user))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).DELETE().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "compress={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aKickedSessionStopsItsSearchAndSaysBye(boolean compress) throws Exception {
        try (var client = selected(false, compress)) {
            client.send("c " + slowSearch(5_000));
            Thread.sleep(300); // the SEARCH is under way
            assertEquals(200, kick(TestServer.ALICE).statusCode());
            // no "* SEARCH" and no tagged completion first: the SEARCH was stopped, not finished
            assertEquals("* BYE Disconnected by the administrator.", client.readLine());
            client.assertClosedByServer();
            awaitNoSessions();
        }
    }

    @ParameterizedTest(name = "tls={0}, compress={1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aSearchWhoseClientHungUpStops(boolean tls, boolean compress) throws Exception {
        var client = selected(tls, compress);
        client.send("c " + slowSearch(5_000));
        Thread.sleep(300);
        client.close();
        awaitNoSessions(); // the SEARCH alone would run for minutes
    }

    /** A FETCH blocked writing to a client that reads nothing never reaches a check: the kick closes it. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aKickedSessionBlockedOnAClientThatDoesNotReadIsClosed() throws Exception {
        try (var client = selected(false)) {
            client.send("c FETCH 1:* (" + "BODY.PEEK[] ".repeat(10).strip() + ")"); // 50 MB, more than sockets buffer
            Thread.sleep(500);
            assertEquals(200, kick(TestServer.ALICE).statusCode());
            awaitNoSessions();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void imaplibSeesTheByeOfItsKickedSearch() throws Exception {
        try (var python = PythonScript.start("imap/imaplib_long_commands.py", "search",
                Integer.toString(server.imapPort()), TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals("SEARCHING", python.nextLine());
            Thread.sleep(300);
            assertEquals(200, kick(TestServer.ALICE).statusCode());
            assertEquals("ABORT command: SEARCH => Disconnected by the administrator.", python.nextLine());
            assertEquals(0, python.exitCode(), python.lines().toString());
            awaitNoSessions();
        }
    }

    /**
     * While a command runs, the server looks at the socket now and then; bytes that arrive then,
     * one TLS record or TCP segment at a time, are kept for the commands they belong to.
     */
    @ParameterizedTest(name = "tls={0}, compress={1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void commandsPipelinedDuringALongCommandAreKept(boolean tls, boolean compress) throws Exception {
        try (var client = selected(tls, compress)) {
            client.send("c " + slowSearch(60)); // seconds: many looks at the socket
            Thread.sleep(300);
            for (byte b : "d NOOP\r\n".getBytes(StandardCharsets.US_ASCII)) {
                client.write(new byte[] {b});
                Thread.sleep(20);
            }
            client.send("e LOGOUT");
            var everyMessage = new StringBuilder("* SEARCH");
            for (int i = 1; i <= MESSAGES; i++) {
                everyMessage.append(' ').append(i);
            }
            assertEquals(everyMessage.toString(), client.readLine());
            assertEquals("c OK SEARCH completed.", client.readLine());
            assertEquals("d OK NOOP completed.", client.readLine());
            assertEquals("* BYE Logging out.", client.readLine());
            assertEquals("e OK LOGOUT completed.", client.readLine());
            client.assertClosedByServer();
        }
    }
}
