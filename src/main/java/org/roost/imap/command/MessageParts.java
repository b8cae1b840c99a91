package org.roost.imap.command;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.roost.imap.protocol.AppendMessage;
import org.roost.imap.protocol.ImapUrl;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.MessageLiteral;
import org.roost.index.MailboxState;
import org.roost.index.Mailboxes;
import org.roost.mail.StoredMessage;
import org.roost.mail.mime.BinaryToBase64;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.Part;
import org.roost.mail.mime.SectionRange;

/**
 * The bytes of an APPEND's message, found before anything is stored: its literal, or the parts CATENATE joins
 * (RFC 4469 §3), each {@code TEXT} literal as sent and each {@code URL} the octets a FETCH of it would return,
 * read from the user's own mailboxes only and without setting {@code \Seen}.
 */
final class MessageParts {
    private final List<Piece> pieces;
    private final long size;

    /** One part's bytes: how many, and how to read them. */
    private record Piece(long size, MailboxState.MessageSource source) {}

    /**
     * A URL that names nothing this user may read (RFC 4469 §4.1 BADURL): the first such, as sent, but only the
     * characters {@code url-resp-text} allows (no "]", CR, LF or NUL) and at most {@link #ECHOED} of them.
     */
    static final class BadUrl extends Exception {
        static final int ECHOED = 256;

        BadUrl(ImapUrl url) {
            super(echoable(url.text()), null, false, false);
        }

        private static String echoable(String text) {
            var out = new StringBuilder();
            text.chars().filter(c -> c > 0 && c <= 0xFE && c != ']' && c != '\r' && c != '\n')
                    .limit(ECHOED).forEach(c -> out.append((char) c));
            return out.isEmpty() ? "\"\"" : out.toString();
        }
    }

    private MessageParts(List<Piece> pieces) {
        this.pieces = List.copyOf(pieces);
        this.size = pieces.stream().mapToLong(Piece::size).sum();
    }

    /** Finds every part of {@code message} in {@code mailboxes}. */
    static MessageParts of(AppendMessage message, Mailboxes mailboxes) throws IOException, BadUrl {
        var pieces = new ArrayList<Piece>();
        for (var part : message.parts()) {
            pieces.add(switch (part) {
                case AppendMessage.Text(var literal) -> new Piece(literal.size(),
                        message.catenated() ? literal::open : () -> stored(literal));
                case AppendMessage.Url(var url) -> piece(url, mailboxes);
            });
        }
        return new MessageParts(pieces);
    }

    long size() {
        return size;
    }

    /** The parts one after the other; each opened when the one before is read to its end. */
    MailboxState.MessageSource source() {
        return Joined::new;
    }

    private final class Joined extends InputStream {
        private int next;
        private InputStream current = InputStream.nullInputStream();

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            while (true) {
                int n = current.read(buffer, off, len);
                if (n != -1 || next == pieces.size()) {
                    return n;
                }
                current.close();
                current = pieces.get(next++).source().open();
            }
        }

        @Override
        public void close() throws IOException {
            current.close();
        }
    }

    /**
     * What is stored of a message sent whole: as it came, except that the binary parts of a {@code literal8} are
     * stored base64 (RFC 3516 §4.4 allows it, §6 asks BODY[] and BODYSTRUCTURE to show an encoding IMAP4rev1
     * can carry; BINARY[part] still gives the bytes appended).
     */
    private static InputStream stored(MessageLiteral message) throws IOException {
        if (!message.binary()) {
            return message.open();
        }
        List<Part> parts;
        try (var in = message.open()) {
            parts = BinaryToBase64.binaryParts(MessageStructure.parse(in));
        }
        return parts.isEmpty() ? message.open() : BinaryToBase64.encoded(message.open(), parts);
    }

    private static Piece piece(ImapUrl url, Mailboxes mailboxes) throws IOException, BadUrl {
        if (!(url instanceof ImapUrl.Valid valid) || !(valid.mailbox() instanceof MailboxName.Valid name)
                || !mailboxes.exists(name.name())) {
            throw new BadUrl(url);
        }
        var state = mailboxes.open(name.name());
        var snapshot = state.current();
        var message = snapshot.byUid(valid.uid());
        if (message == null || valid.uidValidity().isPresent()
                && valid.uidValidity().getAsLong() != snapshot.uidValidity()) {
            throw new BadUrl(url);
        }
        var range = state.structure(message).range(valid.section().spec());
        long start = Math.min(valid.offset(), range.length());
        long count = valid.length() < 0 ? range.length() - start : Math.min(valid.length(), range.length() - start);
        return switch (range) {
            case SectionRange.Bytes b -> new Piece(count, () -> new ByteArrayInputStream(b.data(), (int) start, (int) count));
            case SectionRange.Slice s -> new Piece(count, () -> window(state, message, s.offset() + start, count));
        };
    }

    /** {@code count} bytes from {@code offset} of the message as clients see it. */
    private static InputStream window(MailboxState state, StoredMessage message, long offset, long count)
            throws IOException {
        var in = state.open(message);
        in.skipNBytes(offset);
        return new FilterInputStream(in) {
            private long left = count;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buffer, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }
}
