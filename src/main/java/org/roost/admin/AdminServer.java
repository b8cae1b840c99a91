package org.roost.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.roost.admin.AdminOperations.AclAnswer;
import org.roost.admin.AdminOperations.Reindexed;
import org.roost.mail.MailUnavailableException;
import org.roost.metrics.RoostMetrics;
import org.roost.net.SessionRegistry;

/**
 * The operator's HTTP side on Helidon: {@code /metrics} (Prometheus text or OpenMetrics),
 * {@code /health/live}, {@code /health/ready}, and the bearer-token admin API under {@code /admin/}.
 */
public final class AdminServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());
    private static final String OPENMETRICS = "application/openmetrics-text";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final int MAX_USERS = 10_000;
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
                .directHandlers(this::refusalsBeforeRouting)
                .routing(this::routes)
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    private void routes(HttpRouting.Builder routing) {
        routing.any("/admin/*", this::requireToken)
                .error(Exception.class, this::unexpected);
        new RouteTable()
                .get("/metrics", this::metricsEndpoint)
                .get("/health/live", (req, res) -> health(req, res, liveness.get()))
                .get("/health/ready", (req, res) -> health(req, res, readiness.get()))
                .get("/health", (req, res) -> health(req, res, readiness.get()))
                .get("/admin/sessions", this::listSessions)
                .delete("/admin/sessions", this::kickSessions)
                .delete("/admin/sessions/{id}", this::kickSession)
                .get("/admin/users", this::listUsers)
                .get("/admin/users/{user}", this::showUser)
                .get("/admin/users/{user}/mailboxes", this::listMailboxes)
                .post("/admin/users/{user}/reindex", this::reindex)
                .post("/admin/users/{user}/fts/rebuild", this::rebuildFullText)
                .get("/admin/users/{user}/quota", this::showQuota)
                .put("/admin/users/{user}/quota", this::setQuota)
                .delete("/admin/users/{user}/quota", this::clearQuota)
                .get("/admin/users/{user}/acl", this::showAcl)
                .put("/admin/users/{user}/acl", this::setAcl)
                .delete("/admin/users/{user}/acl", this::deleteAcl)
                .get("/admin/users/{user}/acl/rights", this::showRights)
                .get("/admin/index/cache", (req, res) -> sendJson(res, operations.cacheStats()))
                .get("/admin/auth/cache", (req, res) -> sendJson(res, operations.authCaches()))
                .post("/admin/auth/cache/flush", this::flushAuthCache)
                .post("/admin/reload/passwords", this::reloadPasswords)
                .post("/admin/reload/tls", this::reloadTls)
                .install(routing, this::problem);
    }

    /** Requests Helidon turns away before routing (a malformed URI, oversized headers) get problem details too. */
    private void refusalsBeforeRouting(DirectHandlers.Builder handlers) {
        for (var type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, (request, event, status, headers, message) -> DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .header(HeaderNames.CONTENT_TYPE, PROBLEM_JSON)
                    .keepAlive(event.keepAlive())
                    .entity(problemBody(status, "The request was refused before it reached a resource."))
                    .build());
        }
    }

    private void metricsEndpoint(ServerRequest req, ServerResponse res) {
        var accept = req.headers().first(HeaderNames.ACCEPT).orElse("");
        var type = accept.contains(OPENMETRICS)
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.send(metrics.scrape(type).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Probes and anyone else see each check's name and UP/DOWN; what a check saw (file-system
     * paths, ports, user counts) only with the admin token.
     */
    private void health(ServerRequest req, ServerResponse res, List<HealthCheck> checks) {
        boolean up = checks.stream().filter(HealthCheck::required).allMatch(HealthCheck::up);
        boolean details = authorized(req);
        var body = new LinkedHashMap<String, Object>();
        body.put("status", status(up));
        body.put("checks", checks.stream().map(c -> checkView(c, details)).toList());
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        sendJson(res, body);
    }

    private static Map<String, Object> checkView(HealthCheck check, boolean details) {
        var view = new LinkedHashMap<String, Object>();
        view.put("name", check.name());
        view.put("status", status(check.up()));
        if (details) {
            view.put("detail", check.detail());
        }
        return view;
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }

    private boolean authorized(ServerRequest req) {
        var header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        var presented = header.startsWith("Bearer ") ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        return token.length > 0 && MessageDigest.isEqual(token, presented);
    }

    private void requireToken(ServerRequest req, ServerResponse res) {
        if (!authorized(req)) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"roost-admin\"");
            problem(res, Status.UNAUTHORIZED_401, "A valid bearer token is required.");
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
            problem(res, Status.BAD_REQUEST_400, "Give ?user=NAME or ?id=SESSION.");
            return;
        }
        int kicked = user.map(u -> sessions.terminateUser(u, "Disconnected by the administrator."))
                .orElseGet(() -> sessions.terminate(id.get(), "Disconnected by the administrator.") ? 1 : 0);
        sendJson(res, Map.of("kicked", kicked));
    }

    private void kickSession(ServerRequest req, ServerResponse res) {
        var id = req.path().pathParameters().get("id");
        if (!sessions.terminate(id, "Disconnected by the administrator.")) {
            problem(res, Status.NOT_FOUND_404, "No session has id " + id + ".");
            return;
        }
        sendJson(res, Map.of("kicked", 1));
    }

    private void showUser(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        try {
            operations.user(name).ifPresentOrElse(u -> sendJson(res, u), () -> noSuchUser(res, name));
        } catch (AdminOperations.Unavailable e) {
            failed(res, "looking up " + name, e);
        }
    }

    /** Like {@code doveadm user '*'}: {@code ?limit=N} names (default and most {@value #MAX_USERS}). */
    private void listUsers(ServerRequest req, ServerResponse res) {
        int limit;
        try {
            limit = Integer.parseInt(req.query().first("limit").orElse(Integer.toString(MAX_USERS)));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_USERS) {
            problem(res, Status.BAD_REQUEST_400, "limit must be a number from 1 to " + MAX_USERS + ".");
            return;
        }
        try {
            var names = operations.userNames(limit + 1);
            var body = new LinkedHashMap<String, Object>();
            body.put("users", names.subList(0, Math.min(limit, names.size())));
            body.put("more", names.size() > limit);
            sendJson(res, body);
        } catch (AdminOperations.Unavailable e) {
            failed(res, "listing users", e);
        }
    }

    /** Like {@code doveadm auth cache flush [USER]}: {@code ?user=NAME} for one user, else everything. */
    private void flushAuthCache(ServerRequest req, ServerResponse res) {
        sendJson(res, Map.of("flushed", operations.flushAuthCache(req.query().first("user").asOptional())));
    }

    private void listMailboxes(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        try {
            operations.mailboxes(name).ifPresentOrElse(list -> sendJson(res, list), () -> noSuchUser(res, name));
        } catch (IOException e) {
            failed(res, "listing the mailboxes of " + name, e);
        }
    }

    private void showQuota(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        try {
            operations.quota(name).ifPresentOrElse(q -> sendJson(res, q), () -> noSuchUser(res, name));
        } catch (IOException e) {
            failed(res, "reading the quota of " + name, e);
        }
    }

    /**
     * Like IMAP's SETQUOTA (RFC 9208 §4.1.3), kept for the administrator: {@code {"storage": 1073741824,
     * "messages": 10000}}, either left out or 0 for no limit on it; storage also as a size ("1G").
     */
    private void setQuota(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        long[] limits;
        try {
            limits = QuotaRequest.parse(json, req.content().as(byte[].class));
        } catch (IllegalArgumentException e) {
            problem(res, Status.BAD_REQUEST_400, e.getMessage());
            return;
        }
        try {
            operations.setQuota(name, Optional.of(limits)).ifPresentOrElse(q -> sendJson(res, q),
                    () -> noSuchUser(res, name));
        } catch (IOException e) {
            failed(res, "setting the quota of " + name, e);
        }
    }

    /** Back to the limits of the user database (or the default). */
    private void clearQuota(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        try {
            operations.setQuota(name, Optional.empty()).ifPresentOrElse(q -> sendJson(res, q),
                    () -> noSuchUser(res, name));
        } catch (IOException e) {
            failed(res, "removing the quota of " + name, e);
        }
    }

    /** Like {@code doveadm acl get}: {@code ?mailbox=NAME}'s own entries, then the global ones for it. */
    private void showAcl(ServerRequest req, ServerResponse res) {
        answerAcl(req, res, (user, mailbox) -> operations.acl(user, mailbox));
    }

    /**
     * Like {@code doveadm acl set}: {@code {"id": "user=bob", "rights": "lrs"}} with the identifier as a
     * {@code dovecot-acl} file writes it ({@code -} before it for negative rights) and the rights as SETACL writes
     * them ({@code +} adds, {@code -} takes away).
     */
    private void setAcl(ServerRequest req, ServerResponse res) {
        AclRequest.Entry entry;
        try {
            entry = AclRequest.parse(json, boundedBody(req, AclRequest.MAX_BODY));
        } catch (BodyTooLarge e) {
            problem(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "The body is larger than " + AclRequest.MAX_BODY
                    + " bytes.");
            return;
        } catch (IllegalArgumentException e) {
            problem(res, Status.BAD_REQUEST_400, e.getMessage());
            return;
        }
        answerAcl(req, res, (user, mailbox) -> operations.setAcl(user, mailbox, entry.id(), entry.rights()));
    }

    /** Like {@code doveadm acl delete}: {@code ?id=ID} ({@code -ID}: its negative rights). */
    private void deleteAcl(ServerRequest req, ServerResponse res) {
        var id = req.query().first("id").asOptional();
        if (id.isEmpty()) {
            problem(res, Status.BAD_REQUEST_400, "Give ?id=IDENTIFIER (e.g. user=bob, -group=staff).");
            return;
        }
        answerAcl(req, res, (user, mailbox) -> operations.deleteAcl(user, mailbox, id.get()));
    }

    /** Like {@code doveadm acl rights}: the user's own rights (MYRIGHTS), or another user's with {@code ?as=NAME}. */
    private void showRights(ServerRequest req, ServerResponse res) {
        var requester = req.query().first("as").asOptional();
        answerAcl(req, res, (user, mailbox) -> operations.rights(user, mailbox, requester));
    }

    private interface AclCall {
        AdminOperations.AclAnswer ask(String user, String mailbox) throws IOException;
    }

    private void answerAcl(ServerRequest req, ServerResponse res, AclCall call) {
        var name = req.path().pathParameters().get("user");
        var mailbox = req.query().first("mailbox").asOptional();
        if (mailbox.isEmpty()) {
            problem(res, Status.BAD_REQUEST_400, "Give ?mailbox=NAME.");
            return;
        }
        try {
            switch (call.ask(name, mailbox.get())) {
                case AclAnswer.Entries entries -> sendJson(res, entries);
                case AclAnswer.Held held -> sendJson(res, held);
                case AclAnswer.NoSuchUser none -> noSuchUser(res, none.name());
                case AclAnswer.NoSuchMailbox none -> problem(res, Status.NOT_FOUND_404, "The user has no such mailbox.");
                case AclAnswer.Invalid invalid -> problem(res, Status.BAD_REQUEST_400, invalid.reason() + ".");
                case AclAnswer.Off off -> problem(res, Status.CONFLICT_409,
                        "This server keeps no ACLs (acl.enabled: false, or a mail store without mailbox directories).");
            }
        } catch (IOException e) {
            failed(res, "the ACL request for " + name, e);
        }
    }

    /** Thrown for a body over the limit, which is refused without reading it. */
    private static final class BodyTooLarge extends Exception {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

    /** The request's body, at most {@code max} bytes: a larger one (by its length, or as it is read) is refused. */
    private static byte[] boundedBody(ServerRequest req, int max) throws BodyTooLarge {
        if (req.headers().contentLength().orElse(0) > max) {
            throw new BodyTooLarge();
        }
        try (var in = req.content().inputStream()) {
            var body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw new BodyTooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new IllegalArgumentException("The body could not be read.");
        }
    }

    /** Like {@code doveadm force-resync}: ?mailbox=NAME for one mailbox, else every mailbox of the user. */
    private void reindex(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        try {
            switch (operations.reindex(name, req.query().first("mailbox").asOptional())) {
                case Reindexed.Done done -> sendJson(res, Map.of("reindexed", done.mailboxes()));
                case Reindexed.NoSuchUser none -> noSuchUser(res, name);
                case Reindexed.NoSuchMailbox none -> problem(res, Status.NOT_FOUND_404, "The user has no such mailbox.");
                case Reindexed.InvalidMailboxName invalid ->
                        problem(res, Status.BAD_REQUEST_400, "Invalid mailbox name: " + invalid.reason() + ".");
            }
        } catch (IOException e) {
            failed(res, "reindexing for " + name, e);
        }
    }

    private void rebuildFullText(ServerRequest req, ServerResponse res) {
        var name = req.path().pathParameters().get("user");
        try {
            switch (operations.rebuildFullText(name)) {
                case QUEUED -> {
                    res.status(Status.ACCEPTED_202);
                    sendJson(res, Map.of("queued", true));
                }
                case NO_SUCH_USER -> noSuchUser(res, name);
                case DISABLED -> problem(res, Status.CONFLICT_409, "The full-text index is off (fts.enabled: false).");
            }
        } catch (IOException e) {
            failed(res, "rebuilding the full-text index of " + name, e);
        }
    }

    /** Certificates are also re-read by themselves when their files change; this forces it now. */
    private void reloadTls(ServerRequest req, ServerResponse res) {
        try {
            sendJson(res, Map.of("reloaded", operations.reloadTls()));
        } catch (IOException e) {
            failed(res, "reloading the TLS certificates", e);
        }
    }

    private void reloadPasswords(ServerRequest req, ServerResponse res) {
        try {
            sendJson(res, Map.of("users", operations.reloadPasswords()));
        } catch (IOException e) {
            failed(res, "reloading the password database", e);
        }
    }

    private void noSuchUser(ServerResponse res, String name) {
        problem(res, Status.NOT_FOUND_404, "The password database has no user " + name + ".");
    }

    /** The cause names files of the server: it goes to the log, not to the client. */
    private void failed(ServerResponse res, String what, IOException e) {
        LOG.log(Level.WARNING, "admin API: {0} failed: {1}", what, e.toString());
        if (e instanceof AdminOperations.Unavailable) {
            problem(res, Status.SERVICE_UNAVAILABLE_503, "A user database did not answer; the server log says which.");
            return;
        }
        if (e instanceof MailUnavailableException) {
            problem(res, Status.SERVICE_UNAVAILABLE_503, "The user's mail is not available; the server log says why.");
            return;
        }
        problem(res, Status.INTERNAL_SERVER_ERROR_500, "The operation failed; the server log says why.");
    }

    private void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.ERROR, "admin API: " + req.prologue().method().text() + " failed", e);
        problem(res, Status.INTERNAL_SERVER_ERROR_500, "The operation failed; the server log says why.");
    }

    private void problem(ServerResponse res, Status status, String detail) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, PROBLEM_JSON);
        res.send(problemBody(status, detail));
    }

    /** RFC 9457 §4.2.1: with the type "about:blank", the title is the status phrase. */
    private byte[] problemBody(Status status, String detail) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", status.reasonPhrase());
        body.put("status", status.code());
        body.put("detail", detail);
        return toJson(body);
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
