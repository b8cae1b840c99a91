package org.roost.imap;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.roost.imap.ImapWriter.Status;
import org.roost.net.Connection;
import org.roost.net.SessionRegistry;

/**
 * One IMAP connection's state machine (RFC 3501 §3): reads a command, executes it, answers, and
 * reports pending changes only where the RFC allows. Runs on the connection's virtual thread.
 */
public final class ImapSession implements SessionRegistry.LiveSession {
    private static final System.Logger LOG = System.getLogger(ImapSession.class.getName());

    /** RFC 3501 §3 connection states. */
    public enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    private final ImapContext context;
    private final Connection connection;
    private final String protocol;
    private final String id;
    private final Instant started = Instant.now();
    private ImapReader reader;
    private ImapWriter writer;
    private CommandParser parser;
    private volatile State state = State.NOT_AUTHENTICATED;
    private volatile String user;
    private volatile boolean waitingForCommand;
    private volatile String terminateReason;
    private int failedLogins;

    ImapSession(ImapContext context, Connection connection, String protocol) {
        this.context = context;
        this.connection = connection;
        this.protocol = protocol;
        this.id = context.sessions().newId();
        attachStreams();
    }

    /** (Re)binds reader and writer to the connection's current streams (after STARTTLS they change). */
    void attachStreams() {
        writer = new ImapWriter(connection.output());
        long literalLimit = state == State.NOT_AUTHENTICATED
                ? context.limits().maxPreAuthLiteralSize() : context.limits().maxLiteralSize();
        reader = new ImapReader(connection.input(), this::requestLiteral, context.limits().maxLineLength(), literalLimit);
        parser = new CommandParser(reader);
    }

    private void requestLiteral() throws IOException {
        writer.continuation("Ready for literal data").flush();
    }

    void run() {
        var closeGauge = context.metrics().connectionOpened(protocol, connection.isTls());
        context.sessions().register(this);
        try {
            connection.readTimeout(context.limits().preAuthTimeout());
            greet();
            commandLoop();
        } catch (SocketTimeoutException e) {
            bye("Disconnected for inactivity.");
        } catch (ProtocolViolation e) {
            bye(e.getMessage());
        } catch (EOFException | SocketException | SSLException e) {
            LOG.log(Level.DEBUG, "session {0}: connection closed: {1}", id, e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.INFO, "session {0}: I/O error: {1}", id, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session " + id + ": internal error", e);
            bye("Internal server error");
        } finally {
            context.sessions().unregister(this);
            closeGauge.run();
            connection.close();
            LOG.log(Level.INFO, "session {0} user={1} closed", id, user == null ? "-" : user);
        }
    }

    private void greet() throws IOException {
        writer.untaggedStatus(Status.OK, "CAPABILITY " + capabilities(), "Roost ready.").flush();
    }

    private void commandLoop() throws IOException, ProtocolViolation {
        while (state != State.LOGOUT) {
            Command command;
            waitingForCommand = true;
            try {
                if (terminateReason != null) {
                    bye(terminateReason);
                    return;
                }
                command = parser.next();
            } catch (CommandParser.BadCommand bad) {
                waitingForCommand = false;
                writer.tagged(bad.tag(), Status.BAD, null, bad.getMessage()).flush();
                context.metrics().command(protocol, "BAD_SYNTAX", "BAD", Duration.ZERO);
                continue;
            } finally {
                waitingForCommand = false;
            }
            execute(command);
            if (terminateReason != null && state != State.LOGOUT) {
                bye(terminateReason);
                return;
            }
        }
    }

    private void execute(Command command) throws IOException, ProtocolViolation {
        long start = System.nanoTime();
        Status result = switch (command) {
            case Command.Capability c -> capability(c);
            case Command.Noop c -> ok(c.tag(), "NOOP completed.");
            case Command.Logout c -> logout(c);
            case Command.StartTls c -> startTls(c);
            case Command.Login c -> login(c);
            case Command.Authenticate c -> authenticate(c);
        };
        writer.flush();
        context.metrics().command(protocol, command.name(), result.name(), Duration.ofNanos(System.nanoTime() - start));
    }

    // ---- any state (RFC 3501 §6.1)

    String capabilities() {
        var caps = new StringBuilder("IMAP4rev1 LITERAL+ SASL-IR");
        if (state == State.NOT_AUTHENTICATED) {
            if (!connection.isTls()) {
                caps.append(" STARTTLS");
            }
            if (plaintextAuthAllowed()) {
                org.roost.auth.sasl.SaslMechanisms.all().forEach(m -> caps.append(" AUTH=").append(m.name()));
            } else {
                caps.append(" LOGINDISABLED");
            }
        }
        return caps.toString();
    }

    private Status capability(Command.Capability c) throws IOException {
        writer.untagged("CAPABILITY " + capabilities());
        return ok(c.tag(), "CAPABILITY completed.");
    }

    private Status logout(Command.Logout c) throws IOException {
        writer.untaggedStatus(Status.BYE, null, "Logging out.");
        state = State.LOGOUT;
        return ok(c.tag(), "LOGOUT completed.");
    }

    // ---- not authenticated state (RFC 3501 §6.2)

    boolean plaintextAuthAllowed() {
        return connection.isTls() || context.isSecureNetwork(connection.remote().getAddress());
    }

    private Status startTls(Command.StartTls c) throws IOException {
        if (connection.isTls()) {
            return reply(c.tag(), Status.BAD, null, "TLS is already active.");
        }
        if (state != State.NOT_AUTHENTICATED) {
            return reply(c.tag(), Status.BAD, null, "STARTTLS is only valid before authentication.");
        }
        ok(c.tag(), "Begin TLS negotiation now.");
        writer.flush();
        connection.startTls(context.tls().get());
        attachStreams();
        return Status.OK;
    }

    private Status login(Command.Login c) throws IOException {
        if (state != State.NOT_AUTHENTICATED) {
            return reply(c.tag(), Status.BAD, null, "Already authenticated.");
        }
        if (!plaintextAuthAllowed()) {
            return reply(c.tag(), Status.NO, "PRIVACYREQUIRED", "Plaintext authentication is disallowed without TLS.");
        }
        boolean ok = context.authenticator().verify(c.user(), c.password());
        context.metrics().authAttempt(protocol, "LOGIN", ok);
        return ok ? loggedIn(c.tag(), c.user()) : authFailed(c.tag());
    }

    private Status authenticate(Command.Authenticate c) throws IOException, ProtocolViolation {
        if (state != State.NOT_AUTHENTICATED) {
            return reply(c.tag(), Status.BAD, null, "Already authenticated.");
        }
        if (!plaintextAuthAllowed()) {
            return reply(c.tag(), Status.NO, "PRIVACYREQUIRED", "Authentication is disallowed without TLS.");
        }
        var mechanism = org.roost.auth.sasl.SaslMechanisms.byName(c.mechanism());
        if (mechanism.isEmpty()) {
            return reply(c.tag(), Status.NO, null, "Unsupported authentication mechanism.");
        }
        var outcome = new SaslDialog(reader, writer).run(
                mechanism.get().start(context.authenticator(), context.serverName()), c.initialResponse());
        return switch (outcome) {
            case SaslDialog.Outcome.Cancelled x -> reply(c.tag(), Status.BAD, null, "Authentication canceled.");
            case SaslDialog.Outcome.Malformed m -> reply(c.tag(), Status.BAD, null, m.reason());
            case SaslDialog.Outcome.Failed f -> {
                context.metrics().authAttempt(protocol, c.mechanism(), false);
                yield authFailed(c.tag());
            }
            case SaslDialog.Outcome.Succeeded s -> {
                context.metrics().authAttempt(protocol, c.mechanism(), true);
                yield loggedIn(c.tag(), s.user());
            }
        };
    }

    private Status loggedIn(String tag, String name) throws IOException {
        user = name;
        state = State.AUTHENTICATED;
        reader.limits(context.limits().maxLineLength(), context.limits().maxLiteralSize());
        connection.readTimeout(context.limits().idleTimeout());
        LOG.log(Level.INFO, "session {0} user={1} logged in from {2}", id, name, connection.remote());
        return reply(tag, Status.OK, "CAPABILITY " + capabilities(), "Logged in");
    }

    private Status authFailed(String tag) throws IOException {
        failedLogins++;
        LOG.log(Level.INFO, "session {0}: authentication failed from {1}", id, connection.remote());
        if (failedLogins >= context.limits().maxFailedLogins()) {
            writer.tagged(tag, Status.NO, "AUTHENTICATIONFAILED", "Authentication failed.");
            terminateReason = "Too many invalid authentication attempts.";
            return Status.NO;
        }
        return reply(tag, Status.NO, "AUTHENTICATIONFAILED", "Authentication failed.");
    }

    // ---- helpers

    private Status ok(String tag, String text) throws IOException {
        return reply(tag, Status.OK, null, text);
    }

    private Status reply(String tag, Status status, String code, String text) throws IOException {
        writer.tagged(tag, status, code, text);
        return status;
    }

    private void bye(String reason) {
        try {
            writer.untaggedStatus(Status.BYE, null, reason).flush();
        } catch (IOException ignored) {
            // the client is gone already
        }
        state = State.LOGOUT;
    }

    // ---- SessionRegistry.LiveSession

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public InetSocketAddress remote() {
        return connection.remote();
    }

    @Override
    public Instant started() {
        return started;
    }

    @Override
    public boolean tls() {
        return connection.isTls();
    }

    @Override
    public Optional<String> selectedMailbox() {
        return Optional.empty();
    }

    @Override
    public void terminate(String reason) {
        terminateReason = reason;
        if (waitingForCommand) {
            connection.closeWith(("* BYE " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(1));
        }
    }

    @Override
    public void abort() {
        connection.close();
    }
}
