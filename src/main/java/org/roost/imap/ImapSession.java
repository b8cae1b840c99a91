package org.roost.imap;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.roost.imap.ImapWriter.Status;
import org.roost.index.MailboxView;
import org.roost.net.Cancellation;
import org.roost.net.Connection;
import org.roost.net.ProtocolSession;
import org.roost.net.SessionCancellation;
import org.roost.net.SessionRegistry;
import org.roost.storage.MailStore;

/**
 * One IMAP connection's state machine (RFC 3501 §3): reads a command, executes it, reports the
 * mailbox changes the RFC allows at that point, and completes the command. Runs on the
 * connection's virtual thread. Command families live in their own classes.
 */
public final class ImapSession extends ProtocolSession {
    private static final System.Logger LOG = System.getLogger(ImapSession.class.getName());
    /**
     * The text of {@code NO [EXPUNGEISSUED]} (RFC 5530) for messages gone meanwhile: Dovecot's (and
     * RFC 2180 §4.1.2's), which clients and test tools match.
     */
    public static final String NO_LONGER_EXIST = "Some of the requested messages no longer exist.";

    /** RFC 3501 §3 connection states. */
    public enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    private final ImapContext context;
    private final Authentication authentication = new Authentication(this);
    private final MailboxCommands mailboxCommands = new MailboxCommands(this);
    private final SelectedCommands selectedCommands = new SelectedCommands(this);
    private ImapReader reader;
    private ImapWriter writer;
    private CommandParser parser;
    private volatile State state = State.NOT_AUTHENTICATED;
    private MailStore mailStore;
    private volatile MailboxView view;
    /** The keywords the client was told of with FLAGS since it selected the mailbox. */
    private java.util.Set<String> announcedKeywords = java.util.Set.of();
    private volatile boolean waitingForCommand;
    private volatile String terminateReason;
    private final java.util.concurrent.atomic.AtomicBoolean byeSent = new java.util.concurrent.atomic.AtomicBoolean();
    private final SessionCancellation cancellation;

    ImapSession(ImapContext context, Connection connection, String protocol) {
        super(connection, protocol, context.sessions().newId());
        this.context = context;
        this.cancellation = new SessionCancellation(connection, this::terminating);
        attachStreams();
    }

    /** (Re)binds reader and writer to the connection's current streams (after STARTTLS they change). */
    void attachStreams() {
        writer = new ImapWriter(connection.output());
        long literalLimit = state == State.NOT_AUTHENTICATED
                ? context.limits().maxPreAuthLiteralSize() : context.limits().maxLiteralSize();
        reader = new ImapReader(connection.input(), this::requestLiteral, context.limits().maxLineLength(), literalLimit);
        parser = new CommandParser(reader, context.tempDir());
    }

    /** Under the output lock: a kick or shutdown may write BYE while the parser waits for input. */
    private void requestLiteral() throws IOException {
        var lock = connection.outputLock();
        lock.lock();
        try {
            writer.continuation("Ready for literal data").flush();
        } finally {
            lock.unlock();
        }
    }

    void run() {
        var closeGauge = context.metrics().connectionOpened(protocol, connection.isTls());
        context.sessions().register(this);
        try {
            connection.readTimeout(context.limits().preAuthTimeout());
            enforcePreAuthDeadline(context.limits().preAuthTimeout());
            writer.untaggedStatus(Status.OK, "CAPABILITY " + capabilities(), "Roost ready.").flush();
            commandLoop();
        } catch (SocketTimeoutException e) {
            bye("Disconnected for inactivity.");
        } catch (ProtocolViolation e) {
            bye(e.getMessage());
        } catch (Cancellation.Cancelled e) {
            LOG.log(Level.DEBUG, "session {0}: command stopped: {1}", id, e.getMessage());
            if (!e.clientGone()) {
                bye(terminateReason);
            }
        } catch (EOFException | SocketException | SSLException e) {
            LOG.log(Level.DEBUG, "session {0}: connection closed: {1}", id, e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.INFO, "session {0}: I/O error: {1}", id, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session " + id + ": internal error", e);
            bye("Internal server error.");
        } finally {
            cancelPreAuthDeadline();
            selected(null);
            context.sessions().unregister(this);
            closeGauge.run();
            connection.close();
            LOG.log(Level.INFO, "session {0} user={1} closed", id, user == null ? "-" : user);
        }
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
                context.metrics().command(protocol, "INVALID", "BAD", Duration.ZERO);
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
        cancellation.commandStarted();
        Reply reply;
        try {
            reply = allowed(command) ? dispatch(command) : Reply.bad(notAllowedText());
        } catch (org.roost.storage.InvalidMailboxNameException e) {
            reply = Reply.no("CANNOT", "Invalid mailbox name."); // the reason names the client's bytes: not echoed
        } catch (org.roost.storage.MailboxNotFoundException e) {
            reply = Reply.no("NONEXISTENT", "Mailbox does not exist.");
        } catch (org.roost.storage.MailboxExistsException e) {
            reply = Reply.no("ALREADYEXISTS", "Mailbox already exists.");
        } catch (java.nio.file.FileSystemException e) {
            // the mail files moved under this session (another session renamed or deleted the mailbox)
            LOG.log(Level.WARNING, "session {0}: {1} failed: {2}", id, command.name(), e.getMessage());
            reply = Reply.no("UNAVAILABLE", "The mailbox changed on disk meanwhile.");
        } catch (org.roost.storage.StorageException e) {
            reply = storageFailure(command, e);
        } finally {
            if (command instanceof Command.Append append) {
                append.message().close();
            }
        }
        if (view != null && state == State.SELECTED && reply.status() != Status.BAD) {
            reportChanges(expungeAllowedAfter(command));
        }
        writer.tagged(command.tag(), reply.status(), reply.code(), reply.text()).flush();
        if (command instanceof Command.StartTls && reply.status() == Status.OK) {
            authentication.upgrade();
        }
        context.metrics().command(protocol, command.name(), reply.status().name(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private Reply dispatch(Command command) throws IOException, ProtocolViolation {
        return switch (command) {
            case Command.Capability c -> {
                writer.untagged("CAPABILITY " + capabilities());
                yield Reply.ok("CAPABILITY completed.");
            }
            case Command.Noop c -> Reply.ok("NOOP completed.");
            case Command.Logout c -> {
                writer.untaggedStatus(Status.BYE, null, "Logging out.");
                state = State.LOGOUT;
                yield Reply.ok("LOGOUT completed.");
            }
            case Command.Id c -> {
                writer.untagged("ID (\"name\" \"Roost\")");
                yield Reply.ok("ID completed.");
            }
            case Command.StartTls c -> authentication.startTls();
            case Command.Login c -> authentication.login(c);
            case Command.Authenticate c -> authentication.authenticate(c);
            case Command.Namespace c -> mailboxCommands.namespace();
            case Command.Create c -> mailboxCommands.create(c);
            case Command.Delete c -> mailboxCommands.delete(c);
            case Command.Rename c -> mailboxCommands.rename(c);
            case Command.Subscribe c -> mailboxCommands.subscribe(c);
            case Command.ListMailboxes c -> mailboxCommands.list(c);
            case Command.Status c -> mailboxCommands.status(c);
            case Command.Append c -> mailboxCommands.append(c);
            case Command.Select c -> selectedCommands.select(c);
            case Command.Check c -> selectedCommands.check();
            case Command.Close c -> selectedCommands.close(true);
            case Command.Unselect c -> selectedCommands.close(false);
            case Command.Expunge c -> selectedCommands.expunge(c);
            case Command.Store c -> selectedCommands.store(c);
            case Command.Copy c -> selectedCommands.copy(c);
            case Command.Fetch c -> new org.roost.imap.fetch.FetchCommand(view, writer, cancellation).execute(c);
            case Command.Search c -> new org.roost.imap.search.SearchCommand(view, writer, cancellation).execute(c);
            case Command.Idle c -> new IdleCommand(this).run();
        };
    }

    /** Maps a mail store refusal to the response code a client can act on (RFC 5530). */
    private Reply storageFailure(Command command, org.roost.storage.StorageException e) {
        return switch (e) {
            case org.roost.storage.MailboxNotFoundException x -> Reply.no("NONEXISTENT", "Mailbox does not exist.");
            case org.roost.storage.MailboxExistsException x -> Reply.no("ALREADYEXISTS", "Mailbox already exists.");
            case org.roost.storage.InvalidMailboxNameException x -> Reply.no("CANNOT", "Invalid mailbox name: " + x.getMessage());
            case org.roost.storage.InvalidKeywordException x -> Reply.no("CANNOT", "Invalid keyword: " + x.getMessage());
            case org.roost.storage.MessageNotFoundException x -> Reply.no("EXPUNGEISSUED", NO_LONGER_EXIST);
            case org.roost.storage.OverQuotaException x -> Reply.no("OVERQUOTA", x.getMessage() + ".");
            default -> {
                context.metrics().storageError();
                LOG.log(Level.WARNING, "session {0}: {1} failed: {2}", id, command.name(), e.getMessage());
                yield Reply.no("SERVERBUG", "Internal error in the mail store.");
            }
        };
    }

    /** RFC 3501 §6: which commands each state accepts. */
    private boolean allowed(Command command) {
        return switch (command) {
            case Command.Capability c -> true;
            case Command.Noop c -> true;
            case Command.Logout c -> true;
            case Command.Id c -> true;
            case Command.StartTls c -> state == State.NOT_AUTHENTICATED;
            case Command.Login c -> state == State.NOT_AUTHENTICATED;
            case Command.Authenticate c -> state == State.NOT_AUTHENTICATED;
            case Command.Check c -> state == State.SELECTED;
            case Command.Close c -> state == State.SELECTED;
            case Command.Unselect c -> state == State.SELECTED;
            case Command.Expunge c -> state == State.SELECTED;
            case Command.Store c -> state == State.SELECTED;
            case Command.Copy c -> state == State.SELECTED;
            case Command.Fetch c -> state == State.SELECTED;
            case Command.Search c -> state == State.SELECTED;
            default -> state == State.AUTHENTICATED || state == State.SELECTED;
        };
    }

    private String notAllowedText() {
        return switch (state) {
            case NOT_AUTHENTICATED -> "Command is not valid before authentication.";
            case AUTHENTICATED -> "Command is only valid in the selected state (SELECT a mailbox first).";
            default -> "Command is not valid in this state.";
        };
    }

    /** RFC 3501 §7.4.1: no EXPUNGE while answering FETCH, STORE or SEARCH (UID variants may). */
    private static boolean expungeAllowedAfter(Command command) {
        return switch (command) {
            case Command.Fetch f -> f.uid();
            case Command.Store s -> s.uid();
            case Command.Search s -> s.uid();
            default -> true;
        };
    }

    /** Sends the untagged EXPUNGE / EXISTS / RECENT / FETCH FLAGS that the view has pending. */
    void reportChanges(boolean allowExpunge) throws IOException {
        try {
            view.state().refresh(false);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "session {0}: refresh failed: {1}", id, e.getMessage());
        }
        var changes = view.sync(allowExpunge);
        if (!changes.isEmpty()) {
            announceKeywords(view.keywordsInUse());
        }
        for (int seq : changes.expungedSequences()) {
            writer.untagged(seq + " EXPUNGE");
        }
        if (changes.countChanged()) {
            writer.untagged(view.count() + " EXISTS");
            writer.untagged(view.recentCount() + " RECENT");
        }
        for (int seq : changes.flagChangedSequences()) {
            var m = view.message(seq);
            writer.untagged(seq + " FETCH (UID " + m.uid() + " FLAGS " + Flags.format(m, view.isRecent(m)) + ")");
        }
    }

    String capabilities() {
        var caps = new StringBuilder("IMAP4rev1 LITERAL+ SASL-IR ID");
        if (state == State.NOT_AUTHENTICATED) {
            if (!connection.isTls()) {
                caps.append(" STARTTLS");
            }
            if (authentication.plaintextAllowed()) {
                context.mechanisms().forEach(m -> caps.append(" AUTH=").append(m.name()));
            } else {
                caps.append(" LOGINDISABLED");
            }
        } else {
            caps.append(" IDLE NAMESPACE UIDPLUS UNSELECT MOVE CHILDREN");
        }
        return caps.toString();
    }

    // ---- what the command classes share

    ImapContext context() {
        return context;
    }

    Connection connection() {
        return connection;
    }

    ImapReader reader() {
        return reader;
    }

    ImapWriter writer() {
        return writer;
    }

    String protocolName() {
        return protocol;
    }

    State state() {
        return state;
    }

    MailStore mailStore() {
        return mailStore;
    }

    /** What loops over many names or messages check, so that a kicked or abandoned command stops. */
    Cancellation cancellation() {
        return cancellation;
    }

    MailboxView view() {
        return view;
    }

    String userName() {
        return user;
    }

    void loggedIn(String name) throws IOException {
        authenticatedAs(name);
        state = State.AUTHENTICATED;
        mailStore = context.indexCache().store(name);
        reader.limits(context.limits().maxLineLength(), context.limits().maxLiteralSize());
        connection.readTimeout(context.limits().idleTimeout());
        LOG.log(Level.INFO, "session {0} user={1} logged in from {2}", id, name, connection.remote());
    }

    /** SELECT's FLAGS and PERMANENTFLAGS: the system flags and {@code keywords}, which the client now knows. */
    void writeFlags(java.util.Set<String> keywords) throws IOException {
        announcedKeywords = java.util.Set.copyOf(keywords);
        writer.untagged("FLAGS " + Flags.mailboxFlags(keywords));
        writer.untaggedStatus(ImapWriter.Status.OK, "PERMANENTFLAGS " + (view.readOnly() ? "()" : Flags.permanentFlags(keywords)),
                view.readOnly() ? "Read-only mailbox." : "Flags permitted.");
    }

    /**
     * A keyword new to the mailbox is announced with FLAGS and PERMANENTFLAGS again before a FETCH
     * shows it (RFC 3501 §7.2.6: FLAGS names the flags applicable to the mailbox), as Dovecot does.
     */
    void announceKeywords(java.util.Set<String> inUse) throws IOException {
        if (!announcedKeywords.containsAll(inUse)) {
            var all = new java.util.TreeSet<>(announcedKeywords);
            all.addAll(inUse);
            writeFlags(all);
        }
    }

    void selected(MailboxView newView) {
        if (view != null && view != newView) {
            view.close();
        }
        view = newView;
        announcedKeywords = java.util.Set.of();
        state = newView == null ? State.AUTHENTICATED : State.SELECTED;
    }

    void terminateAfterThisCommand(String reason) {
        terminateReason = reason;
    }

    boolean terminating() {
        return terminateReason != null;
    }

    private void bye(String reason) {
        state = State.LOGOUT;
        if (!byeSent.compareAndSet(false, true)) {
            return;
        }
        var lock = connection.outputLock();
        lock.lock();
        try {
            writer.untaggedStatus(Status.BYE, null, reason).flush();
        } catch (IOException ignored) {
            // the client is gone already
        } finally {
            lock.unlock();
        }
    }

    // ---- SessionRegistry.LiveSession







    @Override
    public Optional<String> selectedMailbox() {
        var v = view;
        return v == null ? Optional.empty() : Optional.of(v.state().name());
    }

    @Override
    public String stateName() {
        return switch (state) {
            case NOT_AUTHENTICATED -> "not_authenticated";
            case AUTHENTICATED -> "authenticated";
            case SELECTED -> "selected";
            case LOGOUT -> "logout";
        };
    }

    /** Waiting for a command (or idling): a BYE can be written at once without cutting a response. */
    void waitingForInput(boolean waiting) {
        waitingForCommand = waiting;
    }

    @Override
    public void terminate(String reason) {
        terminateReason = reason;
        cutShortImposedWaits();
        if (waitingForCommand && byeSent.compareAndSet(false, true)) {
            connection.closeWith(("* BYE " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(1));
        }
    }

    @Override
    public void abort() {
        connection.close();
    }
}
