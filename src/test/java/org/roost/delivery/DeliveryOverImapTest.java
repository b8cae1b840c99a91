package org.roost.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Delivery and quota as IMAP clients see them: an LMTP delivery reaches a session in IDLE at once (through
 * the shared index, without waiting for a poll), APPEND and COPY over quota answer {@code NO [OVERQUOTA]}
 * (RFC 9208 §4.3.1) while a MOVE within the user's mail does not, a crossed threshold brings one warning,
 * and the admin API reads and sets the limits.
 */
@Timeout(60)
class DeliveryOverImapTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;

    private void start(String aliceExtra, Map<String, String> overrides) throws IOException {
        Files.writeString(dir.resolve("passwd"), "alice:{PLAIN}pw::::::" + aliceExtra + "\nbob:{PLAIN}pw::::::\n");
        var env = new HashMap<>(Map.of("ROOST_LISTENERS_LMTP_ENABLED", "true"));
        env.putAll(overrides);
        server = TestServer.start(dir, env);
    }

    private void lmtp(String recipient, String message) throws IOException {
        try (var socket = new Socket("127.0.0.1", server.lmtpPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("LHLO test\r\nMAIL FROM:<s@x.y>\r\nRCPT TO:<" + recipient + ">\r\nDATA\r\n" + message
                    + "\r\n.\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            var replies = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(replies.contains("250 2.0.0 <" + recipient + "> Saved"), replies);
        }
    }

    private RawImapClient login(String user) throws IOException {
        var imap = server.imap();
        imap.greeting();
        assertTrue(imap.tagged("l", "LOGIN " + user + " pw").startsWith("l OK"));
        return imap;
    }

    @Test
    void anIdleSessionHearsOfTheDeliveryAtOnce() throws Exception {
        start("", Map.of());
        try (var imap = login("bob")) {
            imap.command("s", "SELECT INBOX");
            imap.send("i IDLE");
            assertEquals("+ idling", imap.readLine());
            lmtp("bob@example.org", "Subject: hello\r\n\r\nhi");
            assertEquals("* 1 EXISTS", imap.readLine());
            imap.send("DONE");
            imap.readUntilTagged("i");
            var fetch = imap.command("f", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT RETURN-PATH)])");
            assertTrue(String.join("\n", fetch).contains("Return-Path: <s@x.y>"), fetch::toString);
        }
    }

    @Test
    void appendAndCopyOverQuotaAreRefusedButAMoveWithinTheUserIsNot() throws Exception {
        start("userdb_quota_rule=*:bytes=300", Map.of("ROOST_QUOTA_WARNINGS", ""));
        try (var imap = login("alice")) {
            imap.command("c", "CREATE Archive");
            var message = "Subject: a\r\n\r\n" + "x".repeat(120) + "\r\n";
            for (int i = 0; i < 2; i++) {
                imap.send("a" + i + " APPEND INBOX {" + message.length() + "+}");
                imap.write(message.getBytes(StandardCharsets.US_ASCII)).send("");
                assertTrue(imap.readUntilTagged("a" + i).tagged().startsWith("a" + i + " OK"));
            }
            imap.send("a3 APPEND INBOX {" + message.length() + "+}");
            imap.write(message.getBytes(StandardCharsets.US_ASCII)).send("");
            assertEquals("a3 NO [OVERQUOTA] Quota exceeded (mailbox for user is full).", imap.readUntilTagged("a3").tagged());
            imap.command("s", "SELECT INBOX");
            assertEquals("c1 NO [OVERQUOTA] Quota exceeded (mailbox for user is full).", imap.tagged("c1", "COPY 1 Archive"));
            assertTrue(imap.tagged("m1", "MOVE 1 Archive").startsWith("m1 OK"));
            assertTrue(imap.tagged("x", "STATUS Archive (MESSAGES)").startsWith("x OK"));
        }
    }

    @Test
    void crossingAThresholdBringsOneWarning() throws Exception {
        start("userdb_quota_rule=*:messages=4", Map.of("ROOST_QUOTA_WARNINGS", "50",
                "ROOST_QUOTA_WARNINGFROM", "quota@example.org"));
        lmtp("alice@example.org", "Subject: one\r\n\r\n1");
        lmtp("alice@example.org", "Subject: two\r\n\r\n2");
        lmtp("alice@example.org", "Subject: three\r\n\r\n3");
        try (var imap = login("alice")) {
            // The warning is delivered on a thread of its own: wait for the fourth message.
            for (int attempt = 0; attempt < 500; attempt++) {
                if (imap.command("st", "STATUS INBOX (MESSAGES)").getFirst().contains("MESSAGES 4")) {
                    break;
                }
                Thread.sleep(20);
            }
            imap.command("s", "SELECT INBOX");
            var found = imap.command("f", "SEARCH FROM quota@example.org").getFirst();
            assertTrue(found.matches("\\* SEARCH [34]"), "the second delivery crossed 50%: one warning, " + found);
            var number = found.substring("* SEARCH ".length());
            var subject = imap.command("h", "FETCH " + number + " (BODY.PEEK[HEADER.FIELDS (SUBJECT AUTO-SUBMITTED)])");
            assertTrue(String.join("\n", subject).contains("Subject: Your mailbox is 50% full"), subject::toString);
            assertTrue(String.join("\n", subject).contains("Auto-Submitted: auto-generated"), subject::toString);
        }
    }

    @Test
    void theAdminApiReadsSetsAndClearsLimits() throws Exception {
        start("userdb_quota_rule=*:storage=1M", Map.of());
        lmtp("alice@example.org", "Subject: one\r\n\r\n1");
        var http = HttpClient.newHttpClient();
        var uri = URI.create("http://127.0.0.1:" + server.adminPort() + "/admin/users/alice/quota");
        var get = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, get.statusCode());
        assertTrue(get.body().matches("\\{\"user\":\"alice\",\"storage\":\\{\"usage\":\\d+,\"limit\":1048576},"
                + "\"messages\":\\{\"usage\":1,\"limit\":0},\"source\":\"policy\"}"), get.body());
        var put = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"storage\":\"2G\",\"messages\":10}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(put.body().contains("\"limit\":2147483648") && put.body().contains("\"source\":\"admin\""), put.body());
        var bad = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"storage\":-1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        var delete = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(delete.body().contains("\"limit\":1048576") && delete.body().contains("\"source\":\"policy\""),
                delete.body());
        var nobody = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort()
                + "/admin/users/nobody/quota")).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, nobody.statusCode());
        var metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("roost_deliveries_total{protocol=\"lmtp\",result=\"delivered\"} 1.0"), metrics);
        assertTrue(metrics.contains("roost_quota_refusals_total"), metrics);
    }

}
