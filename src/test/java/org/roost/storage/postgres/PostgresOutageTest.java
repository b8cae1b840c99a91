package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.storage.MailLocation;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.RawImapClient;
import org.roost.testing.S3Server;
import org.roost.testing.TestServer;

/**
 * The services the mail lives in going away, one at a time: with the object store down, what needs a body
 * (APPEND, FETCH BODY[]) is {@code NO [UNAVAILABLE]}, but for the bodies the replica keeps in its body cache, while
 * flags, listing and status go on from PostgreSQL;
 * {@code /health/ready} says which service is down (503) and is ready again once it is back; the meters count
 * the failed calls by service.
 */
@Timeout(180)
class PostgresOutageTest {
    private static final String USER = "outage";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private MailDatabaseServers servers;
    private S3Server s3;
    private TestServer roost;
    private Map<String, String> environment;

    @BeforeEach
    void start() throws Exception {
        servers = MailDatabaseServers.shared();
        s3 = S3Server.start(dir, MailDatabaseServers.BUCKET); // its own: this test stops it
        Files.writeString(dir.resolve("passwd"), USER + ":{PLAIN}" + TestServer.PASSWORD + "::::::\n");
        var env = new HashMap<>(servers.environment());
        env.put("ROOST_MAIL_S3_ENDPOINT", s3.endpoint());
        env.put("ROOST_MAIL_S3_TIMEOUT", "2s");
        env.put("ROOST_MAIL_POSTGRES_TIMEOUT", "2s");
        roost = TestServer.start(dir, env);
        environment = env;
    }

    @AfterEach
    void stop() throws Exception {
        roost.close();
        s3.close();
    }

    /**
     * Message 1 of INBOX comes from another replica, and is dropped from this one's body cache (which may have read
     * it to parse it meanwhile); message 2 comes through this one.
     */
    @Test
    void withoutTheObjectStoreBodiesAreUnavailableAndFlagsGoOn() throws Exception {
        var elsewhere = "Subject: elsewhere\r\n\r\nstored by another replica\r\n";
        appendThroughAnotherReplica(elsewhere);
        try (var c = roost.login(USER)) {
            assertTrue(c.append("INBOX", "Subject: before\r\n\r\nstored while up\r\n").ok());
            c.expectOk("CREATE Archive");
            assertEquals(200, ready().statusCode());
            s3.close();
            var key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(elsewhere.getBytes(StandardCharsets.US_ASCII)));
            Files.deleteIfExists(dir.resolve("data").resolve("postgres-bodies").resolve(key.substring(0, 2))
                    .resolve(key));

            assertUnavailable(c.append("INBOX", "Subject: during\r\n\r\nnot storable\r\n"));
            c.expectOk("SELECT INBOX");
            assertUnavailable(c.run("FETCH 1 BODY.PEEK[TEXT]"));
            var kept = c.expectOk("FETCH 2 BODY.PEEK[TEXT]");
            assertTrue(String.join("\n", kept.untagged()).contains("stored while up"), "from the replica's body cache: "
                    + kept);
            var stored = c.expectOk("STORE 1 +FLAGS (\\Flagged)");
            assertTrue(String.join("\n", stored.untagged()).contains("\\Flagged"), stored.toString());
            c.expectOk("FETCH 1 (UID FLAGS RFC822.SIZE INTERNALDATE)");
            c.expectOk("COPY 1 Archive");
            var status = c.expectOk("STATUS Archive (MESSAGES)");
            assertTrue(status.untagged().getFirst().contains("MESSAGES 1"), status.toString());
            c.expectOk("LIST \"\" *");
            c.expectOk("SEARCH FLAGGED");

            var ready = ready();
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"mailStorage.s3\""), ready.body());
            var metrics = get("/metrics").body();
            assertTrue(metrics.contains("roost_mail_service_seconds_count{operation=\"store\",result=\"unavailable\","
                    + "service=\"s3\"}"), metrics);
            assertTrue(metrics.contains("result=\"ok\",service=\"postgres\""), metrics);
        }
    }

    @Test
    void readinessFollowsTheDatabase() throws Exception {
        assertEquals(200, ready().statusCode());
        servers.postgres().kill();
        try {
            var ready = ready();
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"mailStorage.postgres\""), ready.body());
        } finally {
            servers.postgres().startAgain();
        }
        assertEquals(200, ready().statusCode(), "ready again once PostgreSQL is back");
        try (var c = roost.login(USER)) {
            c.expectOk("SELECT INBOX");
        }
    }

    private void appendThroughAnotherReplica(String text) throws IOException {
        var config = TestServer.config(dir.resolve("other"), environment);
        try (var other = PostgresDriver.open(MailLocation.parse("postgres:%u"), config.mail(), config.data())) {
            other.open(other.locate(USER)).mailbox("INBOX").append(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(), Instant.now());
        }
    }

    private static void assertUnavailable(RawImapClient.Response response) {
        assertTrue(response.tagged().contains("NO [UNAVAILABLE]"), response.toString());
    }

    private HttpResponse<String> ready() throws IOException, InterruptedException {
        return get("/health/ready");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + roost.adminPort() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
