package org.roost.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * The admin HTTP side over real HTTP: Prometheus metrics, health, and the bearer-token session
 * API; and when a request is wrong: every error is an RFC 9457 problem document, a method a path
 * does not take is 405 with {@code Allow} (RFC 9110 §15.5.6), a bad mailbox name is 400 and never a
 * 500, and health shows no file-system paths without the token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    Path dir;
    TestServer server;
    HttpClient http;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        this.dir = dir;
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
        assertTrue(names.containsAll(List.of("listener.imap", "listener.imaps")), names.toString());
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

    private HttpResponse<String> call(String method, String path, boolean token) throws IOException, InterruptedException {
        var request = request(path).method(method, HttpRequest.BodyPublishers.noBody());
        return send(token ? withToken(request) : request);
    }

    /** Asserts an RFC 9457 problem document with {@code status}, and returns it. */
    private static JsonNode assertProblem(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        var problem = JSON.readTree(response.body());
        assertEquals(status, problem.get("status").asInt(), response.body());
        assertEquals("about:blank", problem.get("type").asText());
        assertFalse(problem.get("title").asText().isEmpty());
        assertFalse(problem.get("detail").asText().isEmpty());
        return problem;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            PUT    | /metrics                         | GET, HEAD
            POST   | /health/live                     | GET, HEAD
            DELETE | /health/ready                    | GET, HEAD
            PATCH  | /health                          | GET, HEAD
            PUT    | /admin/sessions                  | GET, HEAD, DELETE
            POST   | /admin/sessions/some-id          | DELETE
            DELETE | /admin/users/alice               | GET, HEAD
            POST   | /admin/users/alice/mailboxes     | GET, HEAD
            GET    | /admin/users/alice/reindex       | POST
            PUT    | /admin/index/cache               | GET, HEAD
            GET    | /admin/reload/passwords          | POST
            OPTIONS | /admin/reload/tls               | POST
            """)
    void aMethodThePathDoesNotTakeIs405WithAllow(String method, String path, String allow) throws Exception {
        var response = call(method, path, true);
        var problem = assertProblem(response, 405);
        assertEquals(allow, response.headers().firstValue("Allow").orElse(""), path);
        assertEquals("Method Not Allowed", problem.get("title").asText());
    }

    @Test
    void anUnknownMethodOnTheAdminApiStillNeedsTheTokenFirst() throws Exception {
        var response = call("PUT", "/admin/sessions", false);
        assertProblem(response, 401);
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/admin/nope", "/admin/users/alice/nope", "/health/nope", "/metrics/x"})
    void anUnknownPathIs404(String path) throws Exception {
        var problem = assertProblem(call("GET", path, true), 404);
        assertFalse(problem.toString().contains(path.substring(1)), "the path is not echoed: " + problem);
    }

    /** Helidon refuses a malformed request before routing; the refusal is a problem document too. */
    @Test
    void aMalformedRequestIs400ProblemDetails() throws Exception {
        try (var socket = new Socket("127.0.0.1", server.adminPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /admin/users/%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TestServer.ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            var response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("\r\ncontent-type: application/problem+json\r\n"), response);
            var problem = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
            assertEquals(400, problem.get("status").asInt());
            assertEquals("Bad Request", problem.get("title").asText());
        }
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        var response = call("HEAD", "/health/live", false);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("", response.body());
        assertEquals(200, call("GET", "/health/live", false).statusCode(), "the connection is still in step");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "a/b", "..", "", "a..b", ".hidden", "bad\u0001name", "*", "~x"})
    void aBadMailboxNameToReindexIs400WithoutEchoingIt(String name) throws Exception {
        var response = call("POST", "/admin/users/alice/reindex?mailbox=" + encode(name), true);
        var problem = assertProblem(response, 400);
        assertEquals("Bad Request", problem.get("title").asText());
        assertTrue(problem.get("detail").asText().startsWith("Invalid mailbox name: "), problem.toString());
        if (name.length() > 1) {
            assertFalse(problem.get("detail").asText().contains(name), problem.toString());
        }
        assertFalse(problem.toString().contains(dir.toString()), "no server path: " + problem);
    }

    @Test
    void aMailboxNameTooLongToReindexIs400() throws Exception {
        var problem = assertProblem(call("POST", "/admin/users/alice/reindex?mailbox=" + "x".repeat(1001), true), 400);
        assertTrue(problem.get("detail").asText().contains("too long"), problem.toString());
    }

    @Test
    void anUnknownMailboxOrUserToReindexIs404() throws Exception {
        assertProblem(call("POST", "/admin/users/alice/reindex?mailbox=Nope", true), 404);
        assertProblem(call("POST", "/admin/users/nobody/reindex?mailbox=INBOX", true), 404);
        assertEquals(200, call("POST", "/admin/users/alice/reindex?mailbox=INBOX", true).statusCode());
    }

    @Test
    void healthShowsNoPathsWithoutTheToken() throws Exception {
        for (var path : List.of("/health/ready", "/health/live", "/health")) {
            var response = call("GET", path, false);
            assertEquals(200, response.statusCode(), response.body());
            var health = JSON.readTree(response.body());
            assertEquals("UP", health.get("status").asText());
            for (var check : health.get("checks")) {
                assertEquals(List.of("name", "status"), fieldNames(check), response.body());
                assertEquals("UP", check.get("status").asText(), response.body());
            }
            assertFalse(response.body().contains(dir.toString()), response.body());
        }
        var withToken = call("GET", "/health/ready", true);
        assertTrue(withToken.body().contains(dir.toString()), "the operator sees the details: " + withToken.body());
        assertEquals(withToken.body(), call("GET", "/health/ready", true).body());
        var wrongToken = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/health/ready"))
                .header("Authorization", "Bearer wrong").build();
        var anonymous = http.send(wrongToken, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, anonymous.statusCode(), "a wrong token only hides the details");
        assertFalse(anonymous.body().contains(dir.toString()), anonymous.body());
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new java.util.ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
