package org.roost.imap;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import org.roost.imap.ImapWriter.Status;
import org.roost.index.MailboxView;
import org.roost.net.Cancellation;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;
import org.roost.net.Farewell;
import org.roost.net.ProtocolSession;
import org.roost.net.ProtocolViolation;
import org.roost.net.SessionHandler;
import org.roost.session.Logins;
import org.roost.index.Mailboxes;

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

    /** IMAP's last words: {@code * BYE} whatever the reason. */
    static final Farewell FAREWELL = (ending, text) -> "* BYE " + text;
    private final ImapContext context;
    private final Logins logins;
    private final Authentication authentication = new Authentication(this);
    private final MailboxCommands mailboxCommands = new MailboxCommands(this);
    private final SelectedCommands selectedCommands = new SelectedCommands(this);
    private ImapReader reader;
    private ImapWriter writer;
    private CommandParser parser;
    private volatile State state = State.NOT_AUTHENTICATED;
    private Mailboxes mailboxes;
    private volatile MailboxView view;
    /** The keywords the client was told of with FLAGS since it selected the mailbox. */
    private java.util.Set<String> announcedKeywords = java.util.Set.of();

    ImapSession(ImapContext context, Connection connection, String protocol) {
        super(connection, protocol, context.services().runtime(), FAREWELL);
        this.context = context;
        this.logins = new Logins(context.services(), this);
        attachStreams();
    }

    /** Plugs IMAP into a listener; {@code protocol} is the metrics label, "imap" or "imaps". */
    public static ConnectionHandler handler(ImapContext context, String protocol) {
        return new SessionHandler(connection -> new ImapSession(context, connection, protocol), FAREWELL);
    }

    /** (Re)binds reader and writer to the connection's current streams (after STARTTLS they change). */
    void attachStreams() {
        writer = new ImapWriter(connection.output());
        var limits = context.services().limits();
        long literalLimit = state == State.NOT_AUTHENTICATED ? limits.maxPreAuthLiteralSize() : limits.maxLiteralSize();
        reader = new ImapReader(connection.input(), this::requestLiteral, limits.maxLineLength(), literalLimit);
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

    @Override
    protected void greet() throws IOException {
        writer.untaggedStatus(Status.OK, "CAPABILITY " + capabilities(), "Roost ready.").flush();
    }

    @Override
    protected void release() {
        selected(null);
    }

    @Override
    protected void serve() throws IOException, ProtocolViolation {
        while (state != State.LOGOUT) {
            Command command;
            try {
                command = awaitInput(parser::next);
            } catch (CommandParser.BadCommand bad) {
                writer.tagged(bad.tag(), Status.BAD, null, bad.getMessage()).flush();
                context.services().metrics().command(protocol(), "INVALID", "BAD", Duration.ZERO);
                continue;
            }
            execute(command);
        }
    }

    private void execute(Command command) throws IOException, ProtocolViolation {
        long start = System.nanoTime();
        cancellation().commandStarted();
        Reply reply;
        try {
            reply = allowed(command) ? dispatch(command) : Reply.bad(notAllowedText());
        } catch (org.roost.mail.InvalidMailboxNameException e) {
            reply = Reply.no("CANNOT", "Invalid mailbox name."); // the reason names the client's bytes: not echoed
        } catch (org.roost.mail.MailboxNotFoundException e) {
            reply = Reply.no("NONEXISTENT", "Mailbox does not exist.");
        } catch (org.roost.mail.MailboxExistsException e) {
            reply = Reply.no("ALREADYEXISTS", "Mailbox already exists.");
        } catch (java.nio.file.FileSystemException e) {
            // the mail files moved under this session (another session renamed or deleted the mailbox)
            LOG.log(Level.WARNING, "session {0}: {1} failed: {2}", id(), command.name(), e.getMessage());
            reply = Reply.no("UNAVAILABLE", "The mailbox changed on disk meanwhile.");
        } catch (org.roost.mail.StorageException e) {
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
        context.services().metrics().command(protocol(), command.name(), reply.status().name(),
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
            case Command.Fetch c -> new org.roost.imap.fetch.FetchCommand(view, writer, cancellation()).execute(c);
            case Command.Search c -> new org.roost.imap.search.SearchCommand(view, writer, cancellation()).execute(c);
            case Command.Idle c -> new IdleCommand(this).run();
        };
    }

    /** Maps a mail store refusal to the response code a client can act on (RFC 5530). */
    private Reply storageFailure(Command command, org.roost.mail.StorageException e) {
        return switch (e) {
            case org.roost.mail.MailboxNotFoundException x -> Reply.no("NONEXISTENT", "Mailbox does not exist.");
            case org.roost.mail.MailboxExistsException x -> Reply.no("ALREADYEXISTS", "Mailbox already exists.");
            case org.roost.mail.InvalidMailboxNameException x -> Reply.no("CANNOT", "Invalid mailbox name: " + x.getMessage());
            case org.roost.mail.InvalidKeywordException x -> Reply.no("CANNOT", "Invalid keyword: " + x.getMessage());
            case org.roost.mail.MessageNotFoundException x -> Reply.no("EXPUNGEISSUED", NO_LONGER_EXIST);
            case org.roost.mail.MailboxInUseException x -> Reply.no("INUSE", "The mailbox is locked by another program; "
                    + "try again later.");
            default -> {
                context.services().metrics().storageError();
                LOG.log(Level.WARNING, "session {0}: {1} failed: {2}", id(), command.name(), e.getMessage());
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
            LOG.log(Level.WARNING, "session {0}: refresh failed: {1}", id(), e.getMessage());
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
            if (logins.plaintextAllowed()) {
                logins.mechanisms().forEach(m -> caps.append(" AUTH=").append(m.name()));
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

    Logins logins() {
        return logins;
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

    State state() {
        return state;
    }

    Mailboxes mailboxes() {
        return mailboxes;
    }

    /** What loops over many names or messages check, so that a kicked or abandoned command stops. */
    Cancellation commandCancellation() {
        return cancellation();
    }

    MailboxView view() {
        return view;
    }

    String userName() {
        return user().orElse(null);
    }

    void loggedIn(String name) throws IOException {
        authenticatedAs(name);
        state = State.AUTHENTICATED;
        mailboxes = context.services().indexCache().mailboxes(name);
        reader.limits(context.services().limits().maxLineLength(), context.services().limits().maxLiteralSize());
        LOG.log(Level.INFO, "session {0} user={1} logged in from {2}", id(), name, connection.remote());
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
        endAfterThisCommand(reason);
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

    /** IDLE's wait for DONE: a kick or shutdown answers at once with BYE. */
    String awaitLine() throws IOException, ProtocolViolation {
        return awaitInput(reader::line);
    }
}
