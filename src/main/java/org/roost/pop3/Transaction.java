package org.roost.pop3;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StorageException;

/**
 * The TRANSACTION state's commands (RFC 1939 §5, §7) over one {@link Maildrop}. Listings come from
 * the index; RETR and TOP stream the message through the dot-stuffing writer.
 */
final class Transaction {
    private static final System.Logger LOG = System.getLogger(Transaction.class.getName());
    /** What RETR and TOP read before their +OK. */
    private static final int FIRST_READ = 8192;
    private final Maildrop maildrop;
    private final Pop3Writer writer;
    private final Pop3Context context;
    private final String sessionId;

    Transaction(Maildrop maildrop, Pop3Writer writer, Pop3Context context, String sessionId) {
        this.maildrop = maildrop;
        this.writer = writer;
        this.context = context;
        this.sessionId = sessionId;
    }

    Pop3Reply execute(Pop3Command command) throws IOException {
        return switch (command) {
            case Pop3Command.Stat s -> Pop3Reply.ok(maildrop.liveCount() + " " + maildrop.liveSize());
            case Pop3Command.List l -> l.message().isPresent() ? listOne(l.message().getAsInt()) : listAll();
            case Pop3Command.Uidl u -> u.message().isPresent() ? uidlOne(u.message().getAsInt()) : uidlAll();
            case Pop3Command.Retr r -> retr(r.message());
            case Pop3Command.Top t -> top(t.message(), t.lines());
            case Pop3Command.Dele d -> dele(d.message());
            case Pop3Command.Noop n -> Pop3Reply.ok("");
            case Pop3Command.Rset r -> {
                maildrop.reset();
                yield Pop3Reply.ok("Maildrop has " + maildrop.liveCount() + " messages (" + maildrop.liveSize() + " octets).");
            }
            default -> throw new IllegalArgumentException("not a TRANSACTION command: " + command.name());
        };
    }

    /** The answer when {@code n} names no message this session may use, else null. */
    private Pop3Reply unusable(int n) {
        if (n > maildrop.count()) {
            return Pop3Reply.err("There is no message " + n + "; the maildrop has " + maildrop.count() + ".");
        }
        if (maildrop.isDeleted(n)) {
            return Pop3Reply.err("Message " + n + " is deleted.");
        }
        return null;
    }

    private Pop3Reply listOne(int n) {
        var refusal = unusable(n);
        return refusal != null ? refusal : Pop3Reply.ok(n + " " + maildrop.size(n));
    }

    private Pop3Reply listAll() throws IOException {
        writer.ok(maildrop.liveCount() + " messages (" + maildrop.liveSize() + " octets)");
        for (int n = 1; n <= maildrop.count(); n++) {
            if (!maildrop.isDeleted(n)) {
                writer.dataLine(n + " " + maildrop.size(n));
            }
        }
        writer.endMultiline();
        return Pop3Reply.sentOk();
    }

    private Pop3Reply uidlOne(int n) {
        var refusal = unusable(n);
        return refusal != null ? refusal : Pop3Reply.ok(n + " " + maildrop.uidl(n, context.uidlFormat()));
    }

    private Pop3Reply uidlAll() throws IOException {
        writer.ok("");
        for (int n = 1; n <= maildrop.count(); n++) {
            if (!maildrop.isDeleted(n)) {
                writer.dataLine(n + " " + maildrop.uidl(n, context.uidlFormat()));
            }
        }
        writer.endMultiline();
        return Pop3Reply.sentOk();
    }

    private Pop3Reply retr(int n) throws IOException {
        var refusal = unusable(n);
        if (refusal != null) {
            return refusal;
        }
        try (var message = openMessage(n)) {
            if (message == null) {
                return vanished(n);
            }
            writer.ok(maildrop.size(n) + " octets");
            sendBody(() -> message.transferTo(writer.multilineBody()));
        }
        if (context.settings().markSeenOnRetr()) {
            markSeen(n);
        }
        return Pop3Reply.sentOk();
    }

    private Pop3Reply top(int n, long lines) throws IOException {
        var refusal = unusable(n);
        if (refusal != null) {
            return refusal;
        }
        try (var message = openMessage(n)) {
            if (message == null) {
                return vanished(n);
            }
            writer.ok("");
            sendBody(() -> MessageTop.copy(message, writer.multilineBody(), lines));
        }
        return Pop3Reply.sentOk();
    }

    private Pop3Reply dele(int n) {
        var refusal = unusable(n);
        if (refusal != null) {
            return refusal;
        }
        maildrop.delete(n);
        return Pop3Reply.ok("Message " + n + " deleted.");
    }

    /**
     * The message stream, its first bytes already read, or null when another session expunged it
     * meanwhile: a store that cannot give the message (an mbox another program keeps locked) refuses
     * before the +OK, while an -ERR is still an answer.
     */
    private InputStream openMessage(int n) throws IOException {
        InputStream message = null;
        try {
            message = new BufferedInputStream(maildrop.open(n), FIRST_READ);
            message.mark(1);
            message.read();
            message.reset();
            return message;
        } catch (MessageNotFoundException e) {
            closeQuietly(message);
            return null;
        } catch (IOException e) {
            closeQuietly(message);
            throw e;
        }
    }

    /** The body of a +OK: a store that fails now can no longer be answered, so the connection ends. */
    private void sendBody(Body body) throws IOException {
        try {
            body.send();
        } catch (StorageException e) {
            throw new IOException("the message could not be read after its +OK: " + e.getMessage(), e);
        }
        writer.endMultiline();
    }

    private interface Body {
        void send() throws IOException;
    }

    private static void closeQuietly(InputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing a message failed: {0}", e.toString());
            }
        }
    }

    private static Pop3Reply vanished(int n) {
        return Pop3Reply.err("Message " + n + " was expunged by another session.");
    }

    /** A failed flag update must not spoil a RETR that was delivered: it is logged, not answered. */
    private void markSeen(int n) {
        try {
            maildrop.markSeen(n);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "session {0}: cannot mark message {1} seen: {2}", sessionId, n, e.getMessage());
        }
    }
}
