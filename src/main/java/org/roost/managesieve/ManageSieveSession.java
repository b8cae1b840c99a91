package org.roost.managesieve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.roost.auth.DatabaseUnavailable;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;
import org.roost.net.Farewell;
import org.roost.net.ProtocolSession;
import org.roost.net.ProtocolViolation;
import org.roost.net.SessionHandler;
import org.roost.session.Logins;
import org.roost.sieve.ScriptStore;

/**
 * One ManageSieve connection (RFC 5804): the capabilities as greeting, then commands in the non-authenticated state
 * (AUTHENTICATE, STARTTLS) and in the authenticated state (the script commands, UNAUTHENTICATE), with CAPABILITY,
 * NOOP and LOGOUT in both. Bad input gets a NO and the session goes on; a client that keeps sending it is cut off
 * with a BYE. The connection's life (registry, pre-auth deadline, idle timeout, last words) is
 * {@link ProtocolSession}'s.
 */
public final class ManageSieveSession extends ProtocolSession {
    private static final System.Logger LOG = System.getLogger(ManageSieveSession.class.getName());
    private static final String IMPLEMENTATION = "Roost";

    /** ManageSieve's last words: a BYE (RFC 5804 §1.2), with TRYLATER when the server, not the client, is why. */
    static final Farewell FAREWELL = (ending, text) -> line(switch (ending) {
        case INACTIVITY, VIOLATION -> Reply.bye(text);
        case TERMINATED, REFUSED, INTERNAL_ERROR -> new Reply(Reply.Status.BYE, Optional.of(Reply.Code.of("TRYLATER")),
                text);
    });

    private enum State { NOT_AUTHENTICATED, AUTHENTICATED, LOGOUT }

    private final ManageSieveContext context;
    private final ManageSieveAuthentication authentication;
    private ManageSieveReader reader;
    private ManageSieveWriter writer;
    private volatile State state = State.NOT_AUTHENTICATED;
    /** Consecutive invalid commands; {@code managesieve.maxInvalidCommands} close the connection. */
    private int invalidCommands;
    /** The logged-in user's scripts; null before login. */
    private ScriptCommands scripts;

    private ManageSieveSession(ManageSieveContext context, Connection connection) {
        super(connection, "managesieve", context.services().runtime(), FAREWELL);
        this.context = context;
        this.authentication = new ManageSieveAuthentication(this, new Logins(context.services(), this));
        attachStreams();
    }

    /** Plugs ManageSieve into a listener. */
    public static ConnectionHandler handler(ManageSieveContext context) {
        return new SessionHandler(connection -> new ManageSieveSession(context, connection), FAREWELL);
    }

    /** (Re)binds reader and writer to the connection's current streams (after STARTTLS they change). */
    private void attachStreams() {
        reader = new ManageSieveReader(connection.input(), maxLineLength());
        writer = new ManageSieveWriter(connection.output());
    }

    /** RFC 5804 §1.7: the capabilities, then OK, in one write (clients read the greeting at once). */
    @Override
    protected void greet() throws IOException {
        capabilities();
        writer.reply(Reply.ok("Roost ManageSieve ready.")).flush();
    }

    @Override
    protected void serve() throws IOException, ProtocolViolation {
        while (state != State.LOGOUT) {
            ManageSieveReader.Words words;
            try {
                words = awaitInput(() -> reader.read(literalCaps()));
            } catch (ManageSieveReader.LineTooLong e) {
                overlongLine();
                continue;
            }
            execute(words);
        }
    }

    private void execute(ManageSieveReader.Words words) throws IOException, ProtocolViolation {
        long start = System.nanoTime();
        if (words.error().isPresent()) {
            invalid(ManageSieveCommandParser.commandName(words.words()), words.error().get());
            return;
        }
        ManageSieveCommand command;
        try {
            command = ManageSieveCommandParser.parse(words.words());
        } catch (ManageSieveSyntaxException e) {
            invalid(e.commandName(), e.getMessage());
            return;
        }
        var refusal = stateRefusal(command);
        if (refusal.isPresent()) {
            invalid(command.name(), refusal.get());
            return;
        }
        invalidCommands = 0;
        var reply = underOutputLock(() -> {
            var answer = dispatch(command);
            writer.reply(answer);
            if (answer.status() == Reply.Status.BYE) {
                state = State.LOGOUT;
            }
            respond();
            return answer;
        });
        if (command instanceof ManageSieveCommand.StartTls && reply.status() == Reply.Status.OK) {
            startTls();
        }
        context.services().metrics().command(protocol(), command.name(), reply.result(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** RFC 5804 §2: outside its state a command gets a NO. */
    private Optional<String> stateRefusal(ManageSieveCommand command) {
        return switch (command.access()) {
            case ANY -> Optional.empty();
            case NOT_AUTHENTICATED -> state == State.NOT_AUTHENTICATED ? Optional.empty()
                    : Optional.of(command.name() + " is only valid before authentication.");
            case AUTHENTICATED -> state == State.AUTHENTICATED ? Optional.empty()
                    : Optional.of(command.name() + " is only valid after authentication.");
        };
    }

    private Reply dispatch(ManageSieveCommand command) throws IOException, ProtocolViolation {
        return switch (command) {
            case ManageSieveCommand.Capability c -> {
                capabilities();
                yield Reply.ok("Capability completed.");
            }
            case ManageSieveCommand.Noop n -> n.tag().map(tag -> Reply.ok(Reply.Code.of("TAG", tag), "Done"))
                    .orElse(Reply.ok("NOOP completed."));
            case ManageSieveCommand.Logout l -> {
                state = State.LOGOUT;
                yield Reply.ok("Logout completed.");
            }
            case ManageSieveCommand.StartTls s -> connection.isTls() ? Reply.no("TLS is already active.")
                    : Reply.ok("Begin TLS negotiation now.");
            case ManageSieveCommand.Authenticate a -> authentication.authenticate(a);
            case ManageSieveCommand.Unauthenticate u -> unauthenticate();
            default -> scripts.execute(command, writer);
        };
    }

    /** RFC 5804 §2.2: the handshake follows the OK; then the capabilities again, without STARTTLS, and an OK. */
    private void startTls() throws IOException, ProtocolViolation {
        connection.startTls(context.services().tls().get());
        attachStreams();
        underOutputLock(() -> {
            capabilities();
            writer.reply(Reply.ok("TLS negotiation successful.")).flush();
            return null;
        });
    }

    /** After a successful AUTHENTICATE: the user's script store is found, or the login fails for now. */
    Reply loggedIn(String name) throws IOException {
        ScriptStore store;
        try {
            store = context.stores().of(name);
        } catch (IOException | DatabaseUnavailable e) {
            LOG.log(Level.WARNING, "session {0} user={1}: no script store: {2}", id(), name, e.getMessage());
            return Reply.no("TRYLATER", "Unable to open the script store.");
        }
        scripts = new ScriptCommands(store, context.compiler(), id());
        authenticatedAs(name);
        state = State.AUTHENTICATED;
        LOG.log(Level.INFO, "session {0} user={1} logged in from {2}", id(), name, connection.remote());
        return Reply.ok("Logged in.");
    }

    /** RFC 5804 §2.14.1: back to the non-authenticated state; never fails there. */
    private Reply unauthenticate() throws IOException {
        LOG.log(Level.INFO, "session {0} user={1} unauthenticated", id(), user().orElse("-"));
        unauthenticated();
        scripts = null;
        state = State.NOT_AUTHENTICATED;
        return Reply.ok("Unauthenticate completed.");
    }

    /** RFC 5804 §1.7. */
    private void capabilities() throws IOException {
        writer.capability("IMPLEMENTATION", IMPLEMENTATION);
        writer.capability("SIEVE", String.join(" ", context.compiler().extensions()));
        writer.capability("SASL", String.join(" ", authentication.offeredMechanisms()));
        if (state == State.NOT_AUTHENTICATED && !connection.isTls()) {
            writer.capability("STARTTLS", null);
        }
        writer.capability("MAXREDIRECTS", Integer.toString(context.maxRedirects()));
        if (state == State.AUTHENTICATED) {
            writer.capability("OWNER", user().orElseThrow());
        }
        writer.capability("UNAUTHENTICATE", null);
        writer.capability("VERSION", "1.0");
    }

    /** A line past {@code limits.maxLineLength}: skipped and answered, unless it never ends. */
    private void overlongLine() throws IOException, ProtocolViolation {
        if (!reader.skipLine(16L * maxLineLength())) {
            throw new ProtocolViolation("Line too long; closing the connection.");
        }
        invalid("INVALID", "Line too long.");
    }

    private void invalid(String name, String text) throws IOException, ProtocolViolation {
        context.services().metrics().command(protocol(), name, "NO", Duration.ZERO);
        if (++invalidCommands >= context.settings().maxInvalidCommands()) {
            throw new ProtocolViolation("Too many invalid commands; closing the connection.");
        }
        underOutputLock(() -> {
            writer.reply(Reply.no(text));
            respond();
            return null;
        });
    }

    /** Flushes unless the client already pipelined its next command (RFC 5804 §2). */
    private void respond() throws IOException {
        if (state == State.LOGOUT || !reader.hasBufferedInput()) {
            writer.flush();
        }
    }

    /**
     * Before login a literal is at most {@code limits.maxPreAuthLiteralSize}; after it, scripts are kept up to
     * {@code sieve.maxScriptSize} and larger ones skipped (to answer QUOTA/MAXSIZE) up to {@code limits.maxLiteralSize}.
     */
    private ManageSieveReader.LiteralCaps literalCaps() {
        var limits = context.services().limits();
        if (state != State.AUTHENTICATED) {
            return new ManageSieveReader.LiteralCaps(limits.maxPreAuthLiteralSize(), limits.maxPreAuthLiteralSize());
        }
        long keep = context.sieve().maxScriptSize();
        return new ManageSieveReader.LiteralCaps(keep, Math.max(keep, limits.maxLiteralSize()));
    }

    /** One response of a SASL exchange; an overlong one is skipped and reported as the error. */
    ManageSieveReader.Words readResponse() throws IOException, ProtocolViolation {
        try {
            return reader.read(literalCaps());
        } catch (ManageSieveReader.LineTooLong e) {
            if (!reader.skipLine(16L * maxLineLength())) {
                throw new ProtocolViolation("Line too long; closing the connection.");
            }
            return new ManageSieveReader.Words(List.of(), Optional.of("Authentication response too long."));
        }
    }

    ManageSieveWriter writer() {
        return writer;
    }

    private int maxLineLength() {
        return context.services().limits().maxLineLength();
    }

    /** A reply as one line without its CRLF, for the last words. */
    private static String line(Reply reply) {
        var bytes = new ByteArrayOutputStream();
        try {
            new ManageSieveWriter(bytes).reply(reply);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var text = bytes.toString(StandardCharsets.UTF_8);
        return text.substring(0, text.length() - 2);
    }

    @Override
    public Optional<String> selectedMailbox() {
        return Optional.empty();
    }
}
