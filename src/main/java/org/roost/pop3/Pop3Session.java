package org.roost.pop3;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import org.roost.mail.MailboxInUseException;
import org.roost.mail.StorageException;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;
import org.roost.net.Farewell;
import org.roost.net.ProtocolSession;
import org.roost.net.ProtocolViolation;
import org.roost.net.SessionHandler;
import org.roost.session.Logins;

/**
 * One POP3 connection's state machine (RFC 1939 §3): AUTHORIZATION, TRANSACTION, and UPDATE,
 * which only QUIT reaches — a dropped or timed-out connection never deletes anything (§6).
 * Runs on the connection's virtual thread; the command families live in {@link Pop3Authentication}
 * and {@link Transaction}.
 */
public final class Pop3Session extends ProtocolSession {
    private static final System.Logger LOG = System.getLogger(Pop3Session.class.getName());

    /**
     * POP3's last words: an -ERR, with {@code [SYS/TEMP]} (RFC 3206) when the server, not the client,
     * is the reason.
     */
    static final Farewell FAREWELL = (ending, text) -> switch (ending) {
        case INACTIVITY, VIOLATION -> "-ERR " + text;
        case TERMINATED, REFUSED, INTERNAL_ERROR -> "-ERR [SYS/TEMP] " + text;
    };

    /** RFC 1939 §3 session states; CLOSED follows QUIT. */
    enum State { AUTHORIZATION, TRANSACTION, UPDATE, CLOSED }

    private final Pop3Context context;
    private final Logins logins;
    private final Pop3Authentication authentication;
    private Pop3LineReader reader;
    private Pop3Writer writer;
    private volatile State state = State.AUTHORIZATION;
    private MaildropLocks.Lease lease;
    private Maildrop maildrop;
    private Transaction transaction;
    private boolean closeAfterReply;
    /** Overlong lines so far; {@code pop3.maxOverlongLines} close the connection. */
    private int overlongLines;
    /** Consecutive invalid commands (unknown, malformed, wrong state); {@code pop3.maxInvalidCommands} close it. */
    private int invalidCommands;

    Pop3Session(Pop3Context context, Connection connection, String protocol) {
        super(connection, protocol, context.services().runtime(), FAREWELL);
        this.context = context;
        this.logins = new Logins(context.services(), this);
        var services = context.services();
        this.authentication = new Pop3Authentication(this, services.serverName(), services.limits().maxLineLength());
        attachStreams();
    }

    /** Plugs POP3 into a listener; {@code protocol} is the metrics label, "pop3" or "pop3s". */
    public static ConnectionHandler handler(Pop3Context context, String protocol) {
        return new SessionHandler(connection -> new Pop3Session(context, connection, protocol), FAREWELL);
    }

    /** (Re)binds reader and writer to the connection's current streams (after STLS they change). */
    private void attachStreams() {
        reader = new Pop3LineReader(connection.input(), context.services().limits().maxLineLength());
        writer = new Pop3Writer(connection.output());
    }

    @Override
    protected void greet() throws IOException {
        writer.ok("Roost POP3 ready. " + authentication.apopTimestamp()).flush();
    }

    @Override
    protected void release() {
        releaseMaildrop();
    }

    @Override
    protected void serve() throws IOException, ProtocolViolation {
        while (state != State.CLOSED) {
            String line;
            try {
                line = awaitInput(reader::line);
            } catch (Pop3LineReader.LineTooLongException e) {
                overlongLine();
                continue;
            }
            execute(line);
            if (closeAfterReply) {
                state = State.CLOSED;
            }
        }
    }

    /** Answers an overlong line; a few of them, or one that never ends, close the connection. */
    private void overlongLine() throws IOException, ProtocolViolation {
        context.services().metrics().command(protocol(), "INVALID", "ERR", Duration.ZERO);
        boolean ended = reader.skipLine(16L * context.services().limits().maxLineLength());
        if (!ended || ++overlongLines >= context.settings().maxOverlongLines()) {
            throw new ProtocolViolation("Line too long; closing the connection.");
        }
        underOutputLock(() -> {
            writer.err(null, "Line too long.").flush();
            return null;
        });
    }

    private void execute(String line) throws IOException, ProtocolViolation {
        long start = System.nanoTime();
        Pop3Command command;
        try {
            command = Pop3CommandParser.parse(line);
        } catch (Pop3SyntaxException e) {
            invalid(e.commandName(), e.getMessage());
            return;
        }
        var refusal = stateRefusal(command);
        if (refusal != null) {
            invalid(command.name(), refusal);
            return;
        }
        invalidCommands = 0;
        var reply = underOutputLock(() -> {
            var answer = dispatchSafely(command);
            writer.reply(answer);
            respond();
            return answer;
        });
        if (command instanceof Pop3Command.Stls && reply.ok()) {
            startTls();
        }
        context.services().metrics().command(protocol(), command.name(), reply.result(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Flushes unless the client already pipelined its next command (RFC 2449 §6.6 PIPELINING). */
    private void respond() throws IOException {
        if (closeAfterReply || !reader.hasBufferedInput()) {
            writer.flush();
        }
    }

    private void invalid(String name, String text) throws IOException, ProtocolViolation {
        context.services().metrics().command(protocol(), name, "ERR", Duration.ZERO);
        if (++invalidCommands >= context.settings().maxInvalidCommands()) {
            throw new ProtocolViolation("Too many invalid commands; closing the connection.");
        }
        underOutputLock(() -> {
            writer.err(null, text);
            respond();
            return null;
        });
    }

    /** A failing mail store is an {@code -ERR [SYS/TEMP]} for this command, not the end of the session. */
    private Pop3Reply dispatchSafely(Pop3Command command) throws IOException, ProtocolViolation {
        try {
            return dispatch(command);
        } catch (MailboxInUseException e) {
            return Pop3Reply.err("IN-USE", "The maildrop is locked by another program; try again later.");
        } catch (StorageException e) {
            context.services().metrics().storageError();
            LOG.log(Level.WARNING, "session {0}: {1} failed: {2}", id(), command.name(), e.getMessage());
            return Pop3Reply.err("SYS/TEMP", "Internal error in the mail store.");
        }
    }

    /** RFC 1939: which commands each state accepts; the text of the -ERR otherwise. */
    private String stateRefusal(Pop3Command command) {
        if (command.needsTransaction() && state != State.TRANSACTION) {
            return command.name() + " is only valid after authentication.";
        }
        if (command.needsAuthorization() && state != State.AUTHORIZATION) {
            return command.name() + " is only valid before authentication.";
        }
        return null;
    }

    private Pop3Reply dispatch(Pop3Command command) throws IOException, ProtocolViolation {
        return switch (command) {
            case Pop3Command.Capa c -> capa();
            case Pop3Command.Quit q -> quit();
            case Pop3Command.Stls s -> connection.isTls() ? Pop3Reply.err("TLS is already active.")
                    : Pop3Reply.ok("Begin TLS negotiation now.");
            case Pop3Command.User c -> authentication.user(c);
            case Pop3Command.Pass c -> authentication.pass(c);
            case Pop3Command.Apop c -> authentication.apop(c);
            case Pop3Command.Auth c -> authentication.authenticate(c);
            default -> transaction.execute(command);
        };
    }

    /** RFC 2595 §4: the handshake follows the +OK; plaintext pipelined after STLS goes with the old buffers. */
    private void startTls() throws IOException {
        connection.startTls(context.services().tls().get());
        attachStreams();
        authentication.forgetClientState();
    }

    /** RFC 2449 §5; what may be used to log in is shown only in the AUTHORIZATION state. */
    private Pop3Reply capa() throws IOException {
        writer.ok("Capability list follows");
        for (var capability : new String[] {"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"}) {
            writer.dataLine(capability);
        }
        if (state == State.AUTHORIZATION) {
            if (authentication.plaintextAllowed()) {
                writer.dataLine("USER");
                var mechanisms = authentication.offeredMechanisms();
                if (!mechanisms.isEmpty()) {
                    writer.dataLine("SASL " + String.join(" ", mechanisms));
                }
            }
            if (!connection.isTls()) {
                writer.dataLine("STLS");
            }
        }
        writer.dataLine("IMPLEMENTATION Roost");
        writer.endMultiline();
        return Pop3Reply.sentOk();
    }

    /** RFC 1939 §6: QUIT in TRANSACTION enters UPDATE, the only place where deletions happen. */
    private Pop3Reply quit() throws IOException {
        closeAfterReply = true;
        if (state != State.TRANSACTION) {
            return Pop3Reply.ok("Logging out.");
        }
        state = State.UPDATE;
        int removed;
        try {
            removed = maildrop.commit();
        } catch (MailboxInUseException e) {
            return Pop3Reply.err("IN-USE", "The maildrop is locked by another program; no message was removed.");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "session {0}: UPDATE failed: {1}", id(), e.getMessage());
            return Pop3Reply.err("SYS/TEMP", "Some deleted messages were not removed.");
        } finally {
            releaseMaildrop(); // before the answer, so a client that reconnects at once is not told IN-USE
        }
        context.services().metrics().messages(protocol(), "expunge", removed);
        LOG.log(Level.INFO, "session {0} user={1}: {2} messages deleted", id(), user().orElse("-"), removed);
        return Pop3Reply.ok(removed == 0 ? "Logging out." : "Logging out, " + removed + " messages deleted.");
    }

    /** After a successful authentication: lock and open the maildrop, then enter TRANSACTION (RFC 1939 §4). */
    Pop3Reply loggedIn(String name) throws IOException {
        Optional<MaildropLocks.Lease> lock = Optional.empty();
        try {
            var mailboxes = context.services().indexCache().mailboxes(name);
            lock = context.locks().tryLock(mailboxes.where());
            if (lock.isEmpty()) {
                LOG.log(Level.INFO, "session {0} user={1}: maildrop in use", id(), name);
                return Pop3Reply.err("IN-USE", "Mailbox is locked by another POP3 session.");
            }
            maildrop = Maildrop.open(mailboxes);
        } catch (IOException e) {
            lock.ifPresent(MaildropLocks.Lease::close);
            LOG.log(Level.WARNING, "session {0} user={1}: cannot open the maildrop: {2}", id(), name, e.getMessage());
            return Pop3Reply.err("SYS/TEMP", "Unable to open the mailbox.");
        }
        lease = lock.get();
        authenticatedAs(name);
        transaction = new Transaction(maildrop, writer, context, id());
        state = State.TRANSACTION;
        LOG.log(Level.INFO, "session {0} user={1} logged in from {2}, {3} messages", id(), name, connection.remote(),
                maildrop.count());
        return Pop3Reply.ok("Logged in.");
    }

    private void releaseMaildrop() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    void closeAfterReply() {
        closeAfterReply = true;
    }

    // ---- what the command classes share

    Pop3LineReader reader() {
        return reader;
    }

    Pop3Writer writer() {
        return writer;
    }

    Logins logins() {
        return logins;
    }

    // ---- SessionRegistry.LiveSession

    @Override
    public Optional<String> selectedMailbox() {
        return state == State.TRANSACTION ? Optional.of("INBOX") : Optional.empty();
    }

    /** For the roost_sessions gauge: "transaction" once the maildrop is open (RFC 1939 §5). */
    @Override
    public String stateName() {
        return switch (state) {
            case AUTHORIZATION -> "not_authenticated";
            case TRANSACTION, UPDATE -> "transaction";
            case CLOSED -> user().isEmpty() ? "not_authenticated" : "transaction";
        };
    }
}
