package org.roost.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/** The admin HTTP side over real HTTP: Prometheus metrics, health, and the bearer-token session API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    TestServer server;
    HttpClient http;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    void stop() {
        http.close();
        server.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    private HttpRequest.Builder withToken(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
    }

    private RawImapClient loggedIn(String user, String password) throws IOException {
        var c = server.imap();
        c.greeting();
        assertTrue(c.tagged("l", "LOGIN " + user + " \"" + password + "\"").startsWith("l OK "));
        return c;
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        try (var c = loggedIn(TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            c.tagged("n", "NOOP");
            c.tagged("x", "LOGIN alice wrong");
        }
        var response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        var body = response.body();
        for (var series : new String[] {
            "roost_connections_total{", "roost_connections_active{", "roost_commands_total{",
            "roost_command_duration_seconds_bucket{", "roost_auth_attempts_total{", "roost_bytes_",
            "jvm_memory_used_bytes", "jvm_threads_live_threads",
        }) {
            assertTrue(body.contains(series), "missing " + series);
        }
        assertTrue(body.contains("roost_auth_attempts_total{mechanism=\"LOGIN\",protocol=\"imap\",result=\"success\"}"), body);
        assertTrue(body.contains("roost_commands_total{command=\"LOGIN\",protocol=\"imap\",result=\"OK\"}"), body);
        assertFalse(body.contains("alice"), "no user name in any label");
    }

    @Test
    void openMetricsOnRequest() throws Exception {
        var response = send(request("/metrics").header("Accept", "application/openmetrics-text; version=1.0.0").GET());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/openmetrics-text"));
        assertTrue(response.body().strip().endsWith("# EOF"));
    }

    @Test
    void healthLiveAndReady() throws Exception {
        for (var path : new String[] {"/health/live", "/health/ready"}) {
            var response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
            var json = JSON.readTree(response.body());
            assertEquals("UP", json.get("status").asText(), path);
            assertTrue(json.get("checks").size() >= 2, response.body());
        }
        var ready = JSON.readTree(get("/health/ready").body());
        var names = StreamSupport.stream(ready.get("checks").spliterator(), false).map(c -> c.get("name").asText()).toList();
        assertTrue(names.containsAll(java.util.List.of("listener.imap", "listener.imaps")), names.toString());
    }

    @Test
    void adminApiNeedsTheToken() throws Exception {
        assertEquals(401, get("/admin/sessions").statusCode());
        assertEquals(401, send(request("/admin/sessions").header("Authorization", "Bearer wrong").GET()).statusCode());
        assertEquals(401, send(request("/admin/sessions").header("Authorization", TestServer.ADMIN_TOKEN).GET()).statusCode());
        var response = send(request("/admin/sessions?user=" + TestServer.BOB).DELETE());
        assertEquals(401, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }

    @Test
    void sessionsAreListedAndKicked() throws Exception {
        try (var bob = loggedIn(TestServer.BOB, TestServer.BOB_PASSWORD);
                var anonymous = server.imap()) {
            anonymous.greeting();
            var response = send(withToken(request("/admin/sessions")).GET());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
            var list = JSON.readTree(response.body());
            assertTrue(list.isArray());
            JsonNode bobs = null;
            for (var s : list) {
                if (TestServer.BOB.equals(s.path("user").asText(null))) {
                    bobs = s;
                }
            }
            assertNotNull(bobs, response.body());
            assertEquals("imap", bobs.get("protocol").asText());
            assertEquals("127.0.0.1", bobs.get("remoteAddress").asText());
            assertEquals(bob.socket().getLocalPort(), bobs.get("remotePort").asInt());
            assertFalse(Instant.parse(bobs.get("since").asText()).isAfter(Instant.now()));
            assertFalse(bobs.get("tls").asBoolean());
            assertTrue(list.size() >= 2, "the session not yet logged in is listed too");

            var kick = send(withToken(request("/admin/sessions?user=" + TestServer.BOB)).DELETE());
            assertEquals(200, kick.statusCode());
            assertEquals(1, JSON.readTree(kick.body()).get("kicked").asInt());
            assertEquals("* BYE Disconnected by the administrator.", bob.readLine());
            bob.assertClosedByServer();

            assertEquals("a OK NOOP completed.", anonymous.tagged("a", "NOOP"), "other sessions are untouched");
        }
    }

    @Test
    void oneSessionIsKickedById() throws Exception {
        try (var first = loggedIn(TestServer.ALICE, TestServer.ALICE_PASSWORD);
                var second = loggedIn(TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            String id = null;
            for (var s : JSON.readTree(send(withToken(request("/admin/sessions")).GET()).body())) {
                if (s.get("remotePort").asInt() == first.socket().getLocalPort()) {
                    id = s.get("id").asText();
                }
            }
            assertNotNull(id);
            var kick = send(withToken(request("/admin/sessions?id=" + id)).DELETE());
            assertEquals(1, JSON.readTree(kick.body()).get("kicked").asInt());
            assertEquals("* BYE Disconnected by the administrator.", first.readLine());
            first.assertClosedByServer();
            assertEquals("a OK NOOP completed.", second.tagged("a", "NOOP"), "the same user's other session stays");
            var again = send(withToken(request("/admin/sessions?id=no-such-id")).DELETE());
            assertEquals(0, JSON.readTree(again.body()).get("kicked").asInt());
        }
    }

    @Test
    void kickWithoutAUserIsABadRequest() throws Exception {
        assertEquals(400, send(withToken(request("/admin/sessions")).DELETE()).statusCode());
        var none = send(withToken(request("/admin/sessions?user=nobody")).DELETE());
        assertEquals(0, JSON.readTree(none.body()).get("kicked").asInt());
    }
}
