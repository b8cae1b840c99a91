package org.roost.imap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.roost.acl.Rights;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.UserRecord;
import org.roost.imap.command.Access;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.Extension;
import org.roost.imap.command.MessageSets;
import org.roost.imap.command.Notifications;
import org.roost.imap.command.Revocation;
import org.roost.imap.command.SelectedMailbox;
import org.roost.imap.command.SessionControl;
import org.roost.imap.command.SessionFacts;
import org.roost.imap.command.SessionState;
import org.roost.imap.command.StorageFailures;
import org.roost.imap.command.UidOnly;
import org.roost.imap.notify.Notifier;
import org.roost.imap.protocol.Command;
import org.roost.imap.protocol.CommandParser;
import org.roost.imap.protocol.ImapReader;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.ImapWriter.Status;
import org.roost.imap.protocol.response.MailboxResponses;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.MailboxView;
import org.roost.index.Mailboxes;
import org.roost.mail.MailUnavailableException;
import org.roost.mail.OutOfFiles;
import org.roost.mail.StorageException;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;
import org.roost.net.ConnectionUpgrade;
import org.roost.net.Farewell;
import org.roost.net.ProtocolSession;
import org.roost.net.ProtocolViolation;
import org.roost.net.SessionHandler;
import org.roost.session.Logins;

/**
 * One IMAP connection (RFC 3501 §3): reads a command, checks that its state allows it, runs its
 * executor, reports the mailbox changes the RFC allows at that point, and completes the command.
 * Runs on the connection's virtual thread, within the lifecycle of {@link ProtocolSession}.
 */
public final class ImapSession extends ProtocolSession {
    private static final System.Logger LOG = System.getLogger(ImapSession.class.getName());
    /** The process has no file descriptor left for a moment (RFC 5530: a subsystem is down; try later). */
    private static final Reply OUT_OF_FILES = Reply.no("UNAVAILABLE", "The server is short of open files; try again later.");
    /** IMAP's last words: {@code * BYE} whatever the reason. */
    static final Farewell FAREWELL = (ending, text) -> "* BYE " + text;

    private final ImapContext context;
    private final Logins logins;
    private final Control control = new Control();
    private ImapReader reader;
    private ImapWriter writer;
    private CommandParser parser;
    private volatile SessionState state = SessionState.NOT_AUTHENTICATED;
    private Mailboxes mailboxes;
    private volatile SelectedMailbox selected;
    /** What the command in progress asked to do to the connection once it is answered OK. */
    private ConnectionUpgrade upgrade;
    /** Whether credentials may be sent here; changes only with the connection's streams (STARTTLS). */
    private boolean plaintextAllowed;
    /** The extensions the client enabled (RFC 5161); read by IDLE's pushes too. */
    private volatile Set<Extension> enabled = Set.of();
    /** What NOTIFY asked to be told (RFC 5465); made at login. */
    private Notifier notifier;

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
    private void attachStreams() {
        writer = new ImapWriter(connection.output(), () -> enabled.contains(Extension.UIDONLY));
        var limits = context.services().limits();
        long literalLimit = state == SessionState.NOT_AUTHENTICATED ? limits.maxPreAuthLiteralSize() : limits.maxLiteralSize();
        reader = new ImapReader(connection.input(), this::requestLiteral, limits.maxLineLength(), literalLimit);
        parser = new CommandParser(reader, context.commands().grammar(), context.parser());
        parser.mailboxNaming(SessionFacts.naming(enabled));
        plaintextAllowed = logins.plaintextAllowed();
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
        writer.untaggedStatus(Status.OK, control.capabilityData(), "Roost ready.").flush();
    }

    @Override
    protected void serve() throws IOException, ProtocolViolation {
        while (state != SessionState.LOGOUT) {
            Command command;
            try {
                command = awaitInput(parser::next);
            } catch (CommandParser.BadCommand bad) {
                answerBad(bad);
                context.services().metrics().command(protocol(), "INVALID", bad.refused() ? "NO" : "BAD", Duration.ZERO);
                continue;
            }
            execute(command);
        }
    }

    /** A command that does not parse: answered between notifications, never inside one. */
    private void answerBad(CommandParser.BadCommand bad) throws IOException {
        if (notifier != null) {
            notifier.pause();
        }
        writer.tagged(bad.tag(), bad.refused() ? Status.NO : Status.BAD, bad.code(), bad.getMessage()).flush();
        if (notifier != null) {
            notifier.resume();
        }
    }

    @Override
    protected void release() {
        if (notifier != null) {
            notifier.close();
            notifier = null;
        }
        leaveMailbox();
    }

    private void leaveMailbox() {
        if (selected != null) {
            selected.close();
            selected = null;
        }
    }

    private void execute(Command command) throws IOException, ProtocolViolation {
        long start = System.nanoTime();
        cancellation().commandStarted();
        if (notifier != null) {
            notifier.pause();
        }
        var route = context.commands().route(command);
        Reply reply;
        Rights lost = null;
        try {
            lost = Revocation.lost(commandContext());
            var revoked = Revocation.refusal(command, route.states(), lost);
            reply = !route.states().contains(state) ? Reply.bad(notAllowedText())
                    : enabled.contains(Extension.UIDONLY) && UidOnly.numbersMessages(command) ? UidOnly.REFUSAL
                    : revoked != null ? revoked
                    : route.execute(command, commandContext());
        } catch (MessageSets.InvalidSet e) {
            reply = Reply.bad(e.getMessage());
        } catch (StorageException e) {
            reply = storageFailure(command, e);
        } catch (UncheckedIOException e) {
            // the messages' rows could not be read (a mailbox's rows streamed in from the database store)
            if (!(e.getCause() instanceof StorageException storage)) {
                throw e;
            }
            reply = storageFailure(command, storage);
        } catch (FileSystemException e) {
            // the mail files moved under this session (another session renamed or deleted the mailbox)
            LOG.log(Level.WARNING, "session {0}: {1} failed: {2}", id(), command.name(), e.getMessage());
            reply = OutOfFiles.is(e) ? OUT_OF_FILES : Reply.no("UNAVAILABLE", "The mailbox changed on disk meanwhile.");
        } catch (IOException e) {
            if (!OutOfFiles.is(e)) {
                throw e; // the client's connection broke
            }
            LOG.log(Level.WARNING, "session {0}: {1} failed: {2}", id(), command.name(), e.getMessage());
            reply = OUT_OF_FILES;
        } finally {
            if (command instanceof AutoCloseable resources) {
                closeQuietly(resources);
            }
        }
        var current = selected;
        if (current != null && state == SessionState.SELECTED && reply.status() != Status.BAD && lost == null) {
            var news = current.reportChanges(writer, route.expungesAllowedAfter(command), enabled);
            if (notifier != null) {
                notifier.newMessages(current, news, writer);
            }
        }
        writer.tagged(command.tag(), reply.status(), reply.code(), reply.text()).flush();
        if (notifier != null) {
            notifier.resume();
        }
        applyUpgrade(reply);
        context.services().metrics().command(protocol(), command.name(), reply.status().name(),
                Duration.ofNanos(System.nanoTime() - start));
        if (Access.isDenial(reply)) {
            context.services().metrics().aclDenial(protocol(), command.name());
        }
    }

    private CommandContext commandContext() {
        return new CommandContext(writer, control.facts(), mailboxes, selected, context.services().metrics(),
                cancellation(), control);
    }

    /** A refusal the client can act on (RFC 5530), or a fault of the mail store. */
    private Reply storageFailure(Command command, StorageException e) {
        var answer = StorageFailures.answer(e);
        if (answer != null) {
            return answer;
        }
        context.services().metrics().storageError();
        LOG.log(Level.WARNING, "session {0}: {1} failed: {2}", id(), command.name(), e.getMessage());
        return Reply.no("SERVERBUG", "Internal error in the mail store.");
    }

    private static void closeQuietly(AutoCloseable resources) {
        try {
            resources.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "closing a command''s resources failed: {0}", e.toString());
        }
    }

    /** STARTTLS: the handshake follows the OK; plaintext pipelined after it goes with the old buffers. */
    private void applyUpgrade(Reply reply) throws IOException {
        var pending = upgrade;
        upgrade = null;
        if (pending != null && reply.status() == Status.OK) {
            pending.apply(connection);
            attachStreams();
        }
    }

    private String notAllowedText() {
        return switch (state) {
            case NOT_AUTHENTICATED -> "Command is not valid before authentication.";
            case AUTHENTICATED -> "Command is only valid in the selected state (SELECT a mailbox first).";
            default -> "Command is not valid in this state.";
        };
    }

    // ---- SessionRegistry.LiveSession

    @Override
    public Optional<String> selectedMailbox() {
        var current = selected;
        return current == null ? Optional.empty() : Optional.of(current.name());
    }

    @Override
    public String stateName() {
        return state.label();
    }

    /** What the notifier needs of this session. */
    private final class NotifiedSession implements Notifier.Session {
        @Override
        public ImapWriter writer() {
            return writer;
        }

        @Override
        public Lock outputLock() {
            return connection.outputLock();
        }

        @Override
        public SelectedMailbox selected() {
            return selected;
        }

        @Override
        public Set<Extension> enabled() {
            return enabled;
        }

        @Override
        public String id() {
            return ImapSession.this.id();
        }
    }

    /** What executors may change of this session. */
    private final class Control implements SessionControl {

        SessionFacts facts() {
            return new SessionFacts(id(), protocol(), state, user(), connection.isTls(), plaintextAllowed, enabled,
                    mailboxes != null && mailboxes.keepsGuids());
        }

        @Override
        public void loggedIn(String user) throws IOException {
            // first: a user whose mail cannot be reached stays logged out (NO [UNAVAILABLE])
            mailboxes = context.services().indexCache().mailboxes(user).memberOf(aclGroups(user)).inNamespaces();
            mailboxes.createAutomatic(); // Dovecot's auto = create|subscribe
            recordSharing();
            var limits = context.services().limits();
            notifier = new Notifier(new NotifiedSession(), mailboxes, limits.maxNotifyMailboxes(),
                    limits.maxNotifyPending());
            authenticatedAs(user);
            state = SessionState.AUTHENTICATED;
            reader.limits(limits.maxLineLength(), limits.maxLiteralSize());
            LOG.log(Level.INFO, "session {0} user={1} logged in from {2}", id(), user, connection.remote());
        }

        /**
         * So that what this user shares is listed for the others, even when another program wrote the ACLs: aside,
         * since it reads every mailbox's ACL and the login need not wait for it.
         */
        private void recordSharing() {
            var sharing = mailboxes;
            Thread.ofVirtual().name("record-sharing").start(() -> {
                try {
                    sharing.recordSharing();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "session {0}: what the user shares was not recorded: {1}", id(),
                            e.toString());
                }
            });
        }

        /**
         * The user's groups for ACLs, from the user database. When it does not answer now the login is refused as
         * unavailable: rights worked out without the groups could be wrong either way (a group's negative rights).
         */
        private Set<String> aclGroups(String user) throws MailUnavailableException {
            if (!context.services().indexCache().accessControlled()) {
                return Set.of();
            }
            try {
                return context.services().authenticator().user(user).map(UserRecord::aclGroups).orElse(Set.of());
            } catch (DatabaseUnavailable e) {
                throw new MailUnavailableException("the user database did not answer");
            }
        }

        @Override
        public void unauthenticate() throws IOException {
            release();
            mailboxes = null;
            enabled = Set.of();
            state = SessionState.NOT_AUTHENTICATED;
            var limits = context.services().limits();
            reader.limits(limits.maxLineLength(), limits.maxPreAuthLiteralSize());
            unauthenticated();
            if (connection.isCompressed()) {
                upgrade = Connection::stopCompression;
            }
            LOG.log(Level.INFO, "session {0} logged out without closing (UNAUTHENTICATE)", id());
        }

        @Override
        public boolean compressed() {
            return connection.isCompressed();
        }

        @Override
        public SelectedMailbox select(MailboxView view, String name) {
            var previous = selected;
            if (previous != null && previous.view() != view) {
                previous.close();
            }
            var now = new SelectedMailbox(view, name, id(), context.services().limits().binaryDecodeBuffer());
            selected = now;
            state = SessionState.SELECTED;
            return now;
        }

        @Override
        public void deselect() {
            leaveMailbox();
            state = SessionState.AUTHENTICATED;
        }

        @Override
        public void logout() {
            state = SessionState.LOGOUT;
        }

        @Override
        public void endAfterCommand(String reason) {
            endAfterThisCommand(reason);
        }

        @Override
        public void afterOk(ConnectionUpgrade connectionUpgrade) {
            upgrade = connectionUpgrade;
        }

        @Override
        public String capabilityData() {
            return context.commands().capabilityData(facts());
        }

        @Override
        public Logins logins() {
            return logins;
        }

        @Override
        public String readLine() throws IOException, ProtocolViolation {
            return reader.line();
        }

        @Override
        public String awaitLine() throws IOException, ProtocolViolation {
            return awaitInput(reader::line);
        }

        @Override
        public Lock outputLock() {
            return connection.outputLock();
        }

        @Override
        public Notifications notifications() {
            return notifier;
        }

        @Override
        public boolean enable(Extension extension) throws IOException {
            var before = enabled;
            if (before.contains(extension)) {
                return false;
            }
            var after = EnumSet.noneOf(Extension.class);
            after.addAll(before);
            after.addAll(extension.implied());
            enabled = Collections.unmodifiableSet(after);
            parser.mailboxNaming(SessionFacts.naming(after));
            var current = selected;
            if (!before.contains(Extension.CONDSTORE) && current != null && current.view().state().keepsModseqs()) {
                MailboxResponses.highestModseq(writer, current.view().highestModseq());
            }
            return true;
        }
    }
}
