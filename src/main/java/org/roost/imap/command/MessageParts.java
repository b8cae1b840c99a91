package org.roost.imap.command;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.roost.imap.protocol.AppendMessage;
import org.roost.imap.protocol.ImapUrl;
import org.roost.imap.protocol.MessageLiteral;
import org.roost.imap.urlauth.PartBytes;
import org.roost.index.MailboxState;
import org.roost.mail.mime.BinaryToBase64;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.Part;

/**
 * The bytes of an APPEND's message, found before anything is stored: its literal, or the parts CATENATE joins
 * (RFC 4469 §3), each {@code TEXT} literal as sent and each {@code URL} the octets a FETCH of it would return,
 * read without setting {@code \Seen}: from the user's own mailboxes, or with a URLAUTH from another's.
 */
final class MessageParts {
    private final List<PartBytes> pieces;
    private final long size;

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

    private MessageParts(List<PartBytes> pieces) {
        this.pieces = List.copyOf(pieces);
        this.size = pieces.stream().mapToLong(PartBytes::size).sum();
    }

    /** What a CATENATE URL names for the session, or empty when nothing it may read. */
    @FunctionalInterface
    interface UrlLookup {
        Optional<PartBytes> read(ImapUrl url) throws IOException;
    }

    /**
     * Finds every part of {@code message}, its URLs with {@code urls}; a binary part whose header is at most
     * {@code maxBinaryPartHeader} bytes is stored base64 ({@link #stored}).
     */
    static MessageParts of(AppendMessage message, UrlLookup urls, int maxBinaryPartHeader) throws IOException, BadUrl {
        var pieces = new ArrayList<PartBytes>();
        for (var part : message.parts()) {
            pieces.add(switch (part) {
                case AppendMessage.Text(var literal) -> new PartBytes(literal.size(),
                        message.catenated() ? literal::open : () -> stored(literal, maxBinaryPartHeader));
                case AppendMessage.Url(var url) -> urls.read(url).orElseThrow(() -> new BadUrl(url));
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
    private static InputStream stored(MessageLiteral message, int maxBinaryPartHeader) throws IOException {
        if (!message.binary()) {
            return message.open();
        }
        List<Part> parts;
        try (var in = message.open()) {
            parts = BinaryToBase64.binaryParts(MessageStructure.parse(in), maxBinaryPartHeader);
        }
        return parts.isEmpty() ? message.open() : BinaryToBase64.encoded(message.open(), parts);
    }
}
