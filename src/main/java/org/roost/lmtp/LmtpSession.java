package org.roost.lmtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.roost.delivery.DeliveryHeaders;
import org.roost.delivery.MailAddress;
import org.roost.delivery.MailDelivery;
import org.roost.delivery.MessageSpool;
import org.roost.delivery.Recipient;
import org.roost.index.Quotas;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;
import org.roost.net.Farewell;
import org.roost.net.ProtocolSession;
import org.roost.net.ProtocolViolation;
import org.roost.net.SessionHandler;

/**
 * One LMTP connection (RFC 2033): LHLO, then mail transactions of MAIL FROM, RCPT TO (a reply for each
 * recipient, users looked up at once), and DATA or BDAT chunks, after whose end comes one reply per accepted
 * recipient, in order, each sent as soon as that recipient's delivery is durable. Replies to pipelined
 * commands (RFC 2920) are flushed only when the client has sent nothing more. Bad input gets a precise reply
 * and the connection goes on; a client that keeps sending errors is cut off. The connection's life (the
 * registry, the silence allowed, the last words on a kick or shutdown) is {@link ProtocolSession}'s.
 */
public final class LmtpSession extends ProtocolSession {
    private static final System.Logger LOG = System.getLogger(LmtpSession.class.getName());
    private static final int MAX_ERRORS = 20;
    private static final int MAX_OVERLONG_LINES = 3;

    private final LmtpContext context;
    private LmtpReader reader;
    private String clientName;
    private volatile Transaction transaction;
    private int transactions;
    private int errors;
    private int overlongLines;
    private boolean closing;
    private LmtpReply lastReply;

    /** One mail transaction (RFC 5321 §3.3), from MAIL FROM to the end of its data or RSET. */
    private final class Transaction {
        final LmtpCommand.Mail mail;
        final List<Recipient> recipients = new ArrayList<>();
        final MessageSpool spool = new MessageSpool(context.spool());
        final MessageSink sink = new MessageSink(spool, context.settings().maxMessageSize());
        boolean chunking;
        boolean chunkFailed;

        Transaction(LmtpCommand.Mail mail) {
            this.mail = mail;
        }
    }

    private LmtpSession(LmtpContext context, Connection connection) {
        super(connection, "lmtp", context.runtime(), farewell(context.hostname()));
        this.context = context;
        this.reader = new LmtpReader(connection.input(), context.maxLineLength());
    }

    /** Plugs LMTP into a listener (TCP or UNIX socket). */
    public static ConnectionHandler handler(LmtpContext context) {
        return new SessionHandler(connection -> new LmtpSession(context, connection), farewell(context.hostname()));
    }

    /** LMTP's last words: a 421 (RFC 5321 §3.8), whose enhanced code says why. */
    private static Farewell farewell(String hostname) {
        return (ending, text) -> "421 " + switch (ending) {
            case INACTIVITY -> "4.4.2 " + hostname + " Timeout; closing the connection";
            case VIOLATION, REFUSED -> "4.7.0 " + hostname + " " + text;
            case TERMINATED -> "4.3.0 " + hostname + " " + text;
            case INTERNAL_ERROR -> "4.3.0 " + hostname + " Internal error; closing the connection";
        };
    }

    @Override
    protected void greet() throws IOException {
        send(LmtpReply.of(220, null, context.hostname() + " Roost LMTP ready"));
        flush();
    }

    @Override
    protected void serve() throws IOException, ProtocolViolation {
        while (!closing) {
            nextCommand();
        }
    }

    @Override
    protected void release() {
        endTransaction();
        LOG.log(Level.DEBUG, "session {0} ends after {1} transactions", id(), transactions);
    }

    private void nextCommand() throws IOException, ProtocolViolation {
        String line;
        try {
            line = awaitInput(reader::line);
        } catch (LmtpReader.LineTooLong e) {
            overlongLine();
            return;
        }
        long start = System.nanoTime();
        LmtpCommand command;
        try {
            command = LmtpCommandParser.parse(line);
        } catch (LmtpSyntaxException e) {
            error(e.commandName(), e.reply());
            return;
        }
        underOutputLock(() -> {
            execute(command);
            if (closing || !reader.hasBufferedInput()) {
                flush();
            }
        });
        context.metrics().command(protocol(), command.name(), lastReply.resultClass(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** RFC 5321 §4.5.3.1.4: too long a line is refused; a few of them, or one without end, close. */
    private void overlongLine() throws IOException, ProtocolViolation {
        boolean ended = reader.skipLine(16L * context.maxLineLength());
        if (!ended || ++overlongLines >= MAX_OVERLONG_LINES) {
            throw new ProtocolViolation("Lines too long; closing the connection");
        }
        error("UNKNOWN", LmtpReply.LINE_TOO_LONG);
    }

    /** A refused command; too many of them in a row close the connection. */
    private void error(String name, LmtpReply reply) throws IOException, ProtocolViolation {
        context.metrics().command(protocol(), name, reply.resultClass(), Duration.ZERO);
        if (++errors > MAX_ERRORS) {
            throw new ProtocolViolation("Too many errors; closing the connection");
        }
        underOutputLock(() -> {
            send(reply);
            if (!reader.hasBufferedInput()) {
                flush();
            }
        });
    }

    private void execute(LmtpCommand command) throws IOException {
        switch (command) {
            case LmtpCommand.Lhlo c -> lhlo(c);
            case LmtpCommand.SmtpGreeting c -> refuse(LmtpReply.USE_LHLO);
            case LmtpCommand.Mail c -> mail(c);
            case LmtpCommand.Rcpt c -> rcpt(c);
            case LmtpCommand.Data c -> data();
            case LmtpCommand.Bdat c -> bdat(c);
            case LmtpCommand.Rset c -> {
                endTransaction();
                send(LmtpReply.OK);
            }
            case LmtpCommand.Noop c -> send(LmtpReply.OK);
            case LmtpCommand.Vrfy c -> send(LmtpReply.VRFY_REFUSED);
            case LmtpCommand.Help c -> send(LmtpReply.of(214, "2.0.0",
                    "Commands: LHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP" + (offersTls() ? " STARTTLS" : "")));
            case LmtpCommand.StartTls c -> startTls();
            case LmtpCommand.Quit c -> {
                send(LmtpReply.of(221, "2.0.0", context.hostname() + " closing connection"));
                closing = true;
            }
        }
    }

    /** A sequence error: counted like a syntax error. */
    private void refuse(LmtpReply reply) {
        errors++;
        send(reply);
    }

    /** RFC 2033 §4.1: LHLO as EHLO; the extensions this server implements fully. */
    private void lhlo(LmtpCommand.Lhlo c) {
        endTransaction();
        clientName = c.clientName();
        var lines = new ArrayList<>(List.of(context.hostname(), "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME",
                "SMTPUTF8", "CHUNKING", "SIZE " + context.settings().maxMessageSize()));
        if (offersTls()) {
            lines.add("STARTTLS");
        }
        var out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append("250").append(i + 1 < lines.size() ? '-' : ' ').append(lines.get(i)).append("\r\n");
        }
        write(out.toString().getBytes(StandardCharsets.UTF_8));
        lastReply = LmtpReply.OK;
    }

    /** STARTTLS only where TLS protects something: not on loopback or a UNIX socket, nor twice. */
    private boolean offersTls() {
        return context.services().tls() != null && !connection.isTls() && !connection.remote().getAddress().isLoopbackAddress();
    }

    private void mail(LmtpCommand.Mail c) {
        if (clientName == null) {
            refuse(LmtpReply.LHLO_FIRST);
        } else if (transaction != null) {
            refuse(LmtpReply.NESTED_MAIL);
        } else if (c.size() > context.settings().maxMessageSize()) {
            send(LmtpReply.TOO_BIG);
        } else if (c.sender() != null && !c.sender().ascii() && !c.smtpUtf8()) {
            send(LmtpReply.of(550, "5.6.7", "Non-ASCII sender address needs SMTPUTF8 (RFC 6531 section 3.5)"));
        } else {
            transaction = new Transaction(c);
            errors = 0;
            send(LmtpReply.of(250, "2.1.0", "Sender OK"));
        }
    }

    private void rcpt(LmtpCommand.Rcpt c) {
        var address = c.recipient();
        if (transaction == null) {
            refuse(LmtpReply.MAIL_FIRST);
            return;
        }
        if (transaction.chunking) {
            refuse(LmtpReply.of(503, "5.5.1", "RCPT cannot follow BDAT"));
            return;
        }
        if (!address.ascii() && !transaction.mail.smtpUtf8()) {
            send(LmtpReply.of(553, "5.6.7", "Non-ASCII recipient address needs SMTPUTF8 (RFC 6531 section 3.5)"));
            return;
        }
        if (transaction.recipients.size() >= context.settings().maxRecipients()) {
            send(LmtpReply.TOO_MANY_RECIPIENTS);
            return;
        }
        switch (context.delivery().resolve(address)) {
            case MailDelivery.Resolution.Unknown u -> {
                context.metrics().delivery(protocol(), "unknown_user");
                send(LmtpReply.of(550, "5.1.1", "<" + address + "> No such user here"));
            }
            case MailDelivery.Resolution.Unavailable u -> {
                context.metrics().delivery(protocol(), "failed");
                LOG.log(Level.WARNING, "session {0}: user lookup failed: {1}", id(), u.reason());
                send(LmtpReply.of(451, "4.3.0", "<" + address + "> Temporary user lookup failure"));
            }
            case MailDelivery.Resolution.Found f -> {
                long size = Math.max(0, transaction.mail.size());
                if (!context.delivery().fits(f.recipient().user(), size)) {
                    context.metrics().delivery(protocol(), "over_quota");
                    send(overQuota(address));
                    return;
                }
                transaction.recipients.add(f.recipient());
                send(LmtpReply.of(250, "2.1.5", "<" + address + "> OK"));
            }
        }
    }

    private LmtpReply overQuota(MailAddress address) {
        var text = "<" + address + "> " + Quotas.EXCEEDED;
        return context.fullTempfail() ? LmtpReply.of(452, "4.2.2", text) : LmtpReply.of(552, "5.2.2", text);
    }

    private void data() throws IOException {
        if (transaction == null) {
            refuse(clientName == null ? LmtpReply.LHLO_FIRST : LmtpReply.MAIL_FIRST);
            return;
        }
        if (transaction.chunking) {
            refuse(LmtpReply.DATA_AFTER_BDAT);
            return;
        }
        if (transaction.recipients.isEmpty()) {
            refuse(LmtpReply.RCPT_FIRST); // RFC 2033 §4.2
            return;
        }
        send(LmtpReply.START_DATA);
        flush();
        reader.data(transaction.sink);
        deliver();
    }

    /**
     * RFC 3030 §2: each chunk is read whatever happens (so that the next command is found), and answered
     * once; BDAT LAST gets a reply per accepted recipient (RFC 2033 §4.3), none when there is none.
     */
    private void bdat(LmtpCommand.Bdat c) throws IOException {
        var refusal = transaction == null ? (clientName == null ? LmtpReply.LHLO_FIRST : LmtpReply.MAIL_FIRST)
                : transaction.chunkFailed ? LmtpReply.BDAT_FAILED : null;
        if (refusal != null) {
            reader.chunk(c.size(), null);
            refuse(refusal);
            return;
        }
        if (transaction.recipients.isEmpty()) {
            reader.chunk(c.size(), null);
            if (c.last()) {
                endTransaction();
                lastReply = LmtpReply.OK;
            } else {
                transaction.chunkFailed = true;
                refuse(LmtpReply.RCPT_FIRST);
            }
            return;
        }
        transaction.chunking = true;
        reader.chunk(c.size(), transaction.sink);
        if (c.last()) {
            transaction.sink.finish();
            deliver();
        } else if (transaction.sink.tooBig()) {
            transaction.chunkFailed = true;
            send(LmtpReply.TOO_BIG);
        } else {
            send(LmtpReply.of(250, "2.0.0", c.size() + " octets received"));
        }
    }

    /** After the end of the data: one reply per accepted recipient, each sent when its delivery is durable. */
    private void deliver() throws IOException {
        var t = transaction;
        transactions++;
        try {
            var refusal = t.sink.refusal(t.mail.eightBit() || t.mail.smtpUtf8());
            if (refusal != null) {
                for (int i = 0; i < t.recipients.size(); i++) {
                    context.metrics().delivery(protocol(), "rejected");
                    send(refusal);
                }
                return;
            }
            var now = ZonedDateTime.now();
            var addresses = t.recipients.stream().map(Recipient::address).toList();
            var origin = new DeliveryHeaders.Origin(clientName, connection.remote().getAddress().getHostAddress(),
                    connection.isTls(), context.hostname(), id() + "." + transactions);
            var headers = DeliveryHeaders.lmtp(t.mail.sender(), addresses, origin, now);
            context.delivery().begin(t.spool, headers, now.toInstant(), t.mail.sender()).deliverAll(t.recipients, (recipient, outcome) -> {
                send(reply(recipient, outcome));
                flush(); // RFC 2033 §5: each reply as soon as possible
            });
        } finally {
            endTransaction();
        }
    }

    private LmtpReply reply(Recipient recipient, MailDelivery.Outcome outcome) {
        var address = "<" + recipient.address() + "> ";
        return switch (outcome) {
            case MailDelivery.Outcome.Delivered d -> {
                context.metrics().delivery(protocol(), "delivered");
                LOG.log(Level.INFO, "session {0}: delivered to {1}/{2} uid {3}", id(), recipient.user(), d.mailbox(),
                        Long.toString(d.uid()));
                yield LmtpReply.of(250, "2.0.0", address + "Saved");
            }
            case MailDelivery.Outcome.Filtered d -> {
                context.metrics().delivery(protocol(), "delivered");
                LOG.log(Level.INFO, "session {0}: {1}: no copy kept, as the Sieve script said", id(), recipient.user());
                yield LmtpReply.of(250, "2.0.0", address + "Delivered (filtered)");
            }
            case MailDelivery.Outcome.Rejected r -> {
                context.metrics().delivery(protocol(), "rejected");
                yield LmtpReply.of(550, "5.7.1", address + "Rejected: " + printable(r.reason()));
            }
            case MailDelivery.Outcome.OverQuota o -> {
                context.metrics().delivery(protocol(), "over_quota");
                yield overQuota(recipient.address());
            }
            case MailDelivery.Outcome.Failed f -> {
                context.metrics().delivery(protocol(), "failed");
                context.metrics().storageError();
                yield f.noSpace() ? LmtpReply.of(452, "4.3.1", address + "Insufficient system storage")
                        : LmtpReply.of(451, "4.3.0", address + "Temporary failure in the mail store");
            }
        };
    }

    /** A script's reason as one line of a reply: no line ends or controls, at most 400 characters. */
    private static String printable(String reason) {
        var line = reason.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return line.length() <= 400 ? line : line.substring(0, 400) + "...";
    }

    /** RFC 3207 §4.2: after the handshake the client starts over with LHLO; pipelined plaintext is refused. */
    private void startTls() throws IOException {
        if (connection.isTls()) {
            refuse(LmtpReply.TLS_ACTIVE);
            return;
        }
        if (!offersTls()) {
            refuse(LmtpReply.TLS_UNAVAILABLE);
            return;
        }
        if (reader.hasBufferedInput()) {
            send(LmtpReply.TLS_PIPELINED);
            closing = true;
            return;
        }
        send(LmtpReply.TLS_GO_AHEAD);
        flush();
        connection.startTls(context.services().tls().get());
        reader = new LmtpReader(connection.input(), context.maxLineLength());
        endTransaction();
        clientName = null;
    }

    private void endTransaction() {
        if (transaction != null) {
            try {
                transaction.spool.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "session {0}: cannot remove a spool file: {1}", id(), e.getMessage());
            }
            transaction = null;
        }
    }

    private void send(LmtpReply reply) {
        lastReply = reply;
        write(reply.bytes());
    }

    private void write(byte[] bytes) {
        try {
            connection.output().write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush() throws IOException {
        connection.output().flush();
    }

    private interface Output {
        void write() throws IOException;
    }

    /** Replies are written under the connection's output lock, so a shutdown's last words never land inside one. */
    private void underOutputLock(Output output) throws IOException {
        var lock = connection.outputLock();
        lock.lock();
        try {
            output.write();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            lock.unlock();
        }
    }

    // ---- SessionRegistry.LiveSession

    @Override
    public Optional<String> selectedMailbox() {
        return Optional.empty();
    }

    /** For the roost_sessions gauge: "transaction" between MAIL FROM and the end of the data. */
    @Override
    public String stateName() {
        return transaction != null ? "transaction" : "ready";
    }
}
