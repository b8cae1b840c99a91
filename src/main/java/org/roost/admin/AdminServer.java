package org.roost.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.roost.metrics.RoostMetrics;
import org.roost.net.SessionRegistry;

/**
 * The operator's HTTP side on Helidon: {@code /metrics} (Prometheus text or OpenMetrics),
 * {@code /health/live}, {@code /health/ready}, and the bearer-token admin API under {@code /admin/}.
 */
public final class AdminServer implements AutoCloseable {
    private static final String OPENMETRICS = "application/openmetrics-text";
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final RoostMetrics metrics;
    private final SessionRegistry sessions;
    private final AdminOperations operations;
    private final Supplier<List<HealthCheck>> liveness;
    private final Supplier<List<HealthCheck>> readiness;
    private final byte[] token;
    private WebServer server;

    public AdminServer(RoostMetrics metrics, SessionRegistry sessions, AdminOperations operations, String token,
            Supplier<List<HealthCheck>> liveness, Supplier<List<HealthCheck>> readiness) {
        this.metrics = metrics;
        this.sessions = sessions;
        this.operations = operations;
        this.token = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        this.liveness = liveness;
        this.readiness = readiness;
    }

    public void start(InetSocketAddress address) {
        server = WebServer.builder()
                .bindAddress(address)
                .shutdownHook(false)
                .routing(this::routes)
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    private void routes(HttpRouting.Builder routing) {
        routing.get("/metrics", this::metricsEndpoint)
                .get("/health/live", (req, res) -> health(res, liveness.get()))
                .get("/health/ready", (req, res) -> health(res, readiness.get()))
                .get("/health", (req, res) -> health(res, readiness.get()))
                .any("/admin/*", this::requireToken)
                .get("/admin/sessions", this::listSessions)
                .delete("/admin/sessions", this::kickSessions)
                .delete("/admin/sessions/{id}", this::kickSession)
                .get("/admin/users/{user}", this::showUser)
                .get("/admin/users/{user}/mailboxes", this::listMailboxes)
                .post("/admin/users/{user}/reindex", this::reindex)
                .get("/admin/index/cache", (req, res) -> sendJson(res, operations.cacheStats()))
                .post("/admin/reload/passwords", this::reloadPasswords)
                .post("/admin/reload/tls", this::reloadTls);
    }

    private void metricsEndpoint(ServerRequest req, ServerResponse res) {
        var accept = req.headers().first(HeaderNames.ACCEPT).orElse("");
        var type = accept.contains(OPENMETRICS)
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.send(metrics.scrape(type).getBytes(StandardCharsets.UTF_8));
    }

    private void health(ServerResponse res, List<HealthCheck> checks) {
        boolean up = checks.stream().allMatch(HealthCheck::up);
        var body = new LinkedHashMap<String, Object>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        sendJson(res, body);
    }

    private void requireToken(ServerRequest req, ServerResponse res) {
        var header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        var presented = header.startsWith("Bearer ") ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (token.length == 0 || !MessageDigest.isEqual(token, presented)) {
            res.status(Status.UNAUTHORIZED_401);
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"roost-admin\"");
            problem(res, Status.UNAUTHORIZED_401, "Unauthorized", "A valid bearer token is required.");
            return;
        }
        res.next();
    }

    /** One session as the admin API shows it (never a password). */
    public record SessionView(String id, String user, String protocol, String remoteAddress, int remotePort,
            boolean tls, String mailbox, java.time.Instant since) {}

    private void listSessions(ServerRequest req, ServerResponse res) {
        var views = sessions.list().stream()
                .map(s -> new SessionView(s.id(), s.user().orElse(null), s.protocol(),
                        s.remote().getAddress().getHostAddress(), s.remote().getPort(), s.tls(),
                        s.selectedMailbox().orElse(null), s.started()))
                .toList();
        sendJson(res, views);
    }

    private void kickSessions(ServerRequest req, ServerResponse res) {
        var user = req.query().first("user").asOptional();
        var id = req.query().first("id").asOptional();
        if (user.isEmpty() && id.isEmpty()) {
            problem(res, Status.BAD_REQUEST_400, "Missing parameter", "Give ?user=NAME or ?id=SESSION.");
            return;
        }
        int kicked = user.map(u -> sessions.terminateUser(u, "Disconnected by the administrator."))
                .orElseGet(() -> sessions.terminate(id.get(), "Disconnected by the administrator.") ? 1 : 0);
        sendJson(res, Map.of("kicked", kicked));
    }

    private void kickSession(ServerRequest req, ServerResponse res) {
        var id = req.path().pathParameters().get("id");
        if (!sessions.terminate(id, "Disconnected by the administrator.")) {
            problem(res, Status.NOT_FOUND_404, "No such session", "No session has id " + id + ".");
            return;
        }
        sendJson(res, Map.of("kicked", 1));
    }

    private void showUser(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        operations.user(name).ifPresentOrElse(u -> sendJson(res, u),
                () -> problem(res, Status.NOT_FOUND_404, "No such user", "The password database has no user " + name + "."));
    }

    private void listMailboxes(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        try {
            operations.mailboxes(name).ifPresentOrElse(list -> sendJson(res, list),
                    () -> problem(res, Status.NOT_FOUND_404, "No such user", "The password database has no user " + name + "."));
        } catch (java.io.IOException e) {
            problem(res, Status.INTERNAL_SERVER_ERROR_500, "Mail store error", e.getMessage());
        }
    }

    /** Like {@code doveadm force-resync}: ?mailbox=NAME for one mailbox, else every mailbox of the user. */
    private void reindex(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        var mailbox = req.query().first("mailbox").asOptional();
        try {
            operations.reindex(name, mailbox).ifPresentOrElse(done -> sendJson(res, Map.of("reindexed", done)),
                    () -> problem(res, Status.NOT_FOUND_404, "No such user", "The password database has no user " + name + "."));
        } catch (IllegalArgumentException e) {
            problem(res, Status.NOT_FOUND_404, "No such mailbox", e.getMessage());
        } catch (java.io.IOException e) {
            problem(res, Status.INTERNAL_SERVER_ERROR_500, "Reindex failed", e.getMessage());
        }
    }

    /** Certificates are also re-read by themselves when their files change; this forces it now. */
    private void reloadTls(ServerRequest req, ServerResponse res) {
        try {
            sendJson(res, Map.of("reloaded", operations.reloadTls()));
        } catch (java.io.IOException e) {
            problem(res, Status.INTERNAL_SERVER_ERROR_500, "Reload failed", e.getMessage());
        }
    }

    private void reloadPasswords(ServerRequest req, ServerResponse res) {
        try {
            sendJson(res, Map.of("users", operations.reloadPasswords()));
        } catch (java.io.IOException e) {
            problem(res, Status.INTERNAL_SERVER_ERROR_500, "Reload failed", e.getMessage());
        }
    }

    private void problem(ServerResponse res, Status status, String title, String detail) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.send(toJson(Map.of("type", "about:blank", "title", title, "status", status.code(), "detail", detail)));
    }

    private void sendJson(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(toJson(body));
    }

    private byte[] toJson(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize admin response", e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
