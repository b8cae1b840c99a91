package org.roost.mail.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.apache.commons.codec.binary.Base64InputStream;

/**
 * Rewrites the parts of a message sent in the binary content-transfer-encoding (a {@code literal8}
 * APPEND, RFC 3516 §4.4) into base64, as Dovecot does: RFC 3516 §6 has BODYSTRUCTURE and BODY[] describe
 * every part in an encoding IMAP4rev1 can carry, and base64 loses nothing, so BINARY[part] still gives
 * the very bytes appended. Everything else is copied as it is. Streams: only a part's header is held.
 */
public final class BinaryToBase64 {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NEW_FIELD = "Content-Transfer-Encoding: base64\r\n".getBytes(StandardCharsets.US_ASCII);

    private BinaryToBase64() {
    }

    /**
     * The leaf parts in the binary encoding whose header (of at most {@code maxHeader} bytes,
     * {@code imap.binary.maxPartHeader}) a blank line ends, in message order. A part's header is held while it is
     * rewritten: a longer one (hostile) keeps its binary part as it is.
     */
    public static List<Part> binaryParts(MessageStructure structure, int maxHeader) {
        var found = new ArrayList<Part>();
        collect(structure.root(), maxHeader, found);
        return found;
    }

    private static void collect(Part p, int maxHeader, List<Part> found) {
        if (p.isMultipart()) {
            p.children().forEach(c -> collect(c, maxHeader, found));
        } else if (p.isMessageRfc822()) {
            collect(p.message, maxHeader, found);
        } else if (p.transferEncoding().equals("binary") && p.headerTerminated && p.headerSize() <= maxHeader) {
            found.add(p);
        }
    }

    /**
     * {@code message} (the bytes {@code structure} was parsed from) with each of {@code parts} (from
     * {@link #binaryParts}) re-encoded: its Content-Transfer-Encoding field replaced by {@code base64},
     * its body base64 in lines of 76 characters. Read in one pass; closing it closes {@code message}.
     */
    public static InputStream encoded(InputStream message, List<Part> parts) {
        var shared = new FilterInputStream(message) {
            @Override
            public void close() {
                // each piece ends here; the message is closed with the whole
            }
        };
        var pieces = new ArrayList<IoSupplier>();
        long position = 0;
        for (var p : parts) {
            long before = p.headerStart - position;
            pieces.add(() -> new BoundedInputStream(shared, before));
            pieces.add(() -> new ByteArrayInputStream(rewriteHeader(shared.readNBytes((int) p.headerSize()))));
            pieces.add(() -> new Base64InputStream(new BoundedInputStream(shared, p.bodySize()), true, 76, CRLF));
            position = p.bodyEnd;
        }
        pieces.add(() -> shared);
        var sequence = new SequenceInputStream(new Enumeration<>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
                return next < pieces.size();
            }

            @Override
            public InputStream nextElement() {
                try {
                    return pieces.get(next++).get();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        return new FilterInputStream(sequence) {
            @Override
            public void close() throws IOException {
                try (message) {
                    super.close();
                }
            }
        };
    }

    @FunctionalInterface
    private interface IoSupplier {
        InputStream get() throws IOException;
    }

    /** The header without its Content-Transfer-Encoding field, base64's before the blank line that ends it. */
    static byte[] rewriteHeader(byte[] header) {
        var out = new ByteArrayOutputStream(header.length + NEW_FIELD.length);
        int end = 0;
        for (var field : HeaderParser.parse(header)) {
            if (!"Content-Transfer-Encoding".equalsIgnoreCase(field.name())) {
                out.write(header, field.start(), field.end() - field.start());
            }
            end = field.end();
        }
        out.writeBytes(NEW_FIELD);
        out.write(header, end, header.length - end);
        return out.toByteArray();
    }
}
