package org.roost.mail.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One streaming pass over a CRLF-normalized message that finds every MIME entity (RFC 2045/2046):
 * header and body offsets, body line counts, Content-* fields, and the nesting of multiparts and
 * message/rfc822. Bodies are never stored; only each part's header bytes, up to a cap.
 *
 * <p>Boundary recognition follows Dovecot (so BODYSTRUCTURE and section offsets agree byte for
 * byte): a line is a boundary when it starts with "--" + the boundary of any open multipart, the
 * longest such boundary winning, then the innermost; whatever follows on the line is ignored, and
 * "--" right after the boundary closes that multipart. The line end before a boundary line belongs
 * to the boundary. Multiparts nested deeper than the limit are reported as application/octet-stream.
 */
final class MessageParser {
    private static final int BODY_LINE_KEEP = 1024;
    private static final int MAX_BOUNDARY = BODY_LINE_KEEP - 4;
    private static final byte[] NO_BYTES = new byte[0];
    private static final int HEADER_BUFFER = 4096;

    private final LineReader reader;
    private final MessageStructure.Limits limits;
    private final List<byte[]> boundaries = new ArrayList<>();
    private int partCount;
    /** Whether the previous line was a boundary line (its line end is then not the part's). */
    private boolean lastWasBoundary;
    /** Header bytes that may still be kept for messages (top level and message/rfc822). */
    private long retainBudget;
    private final List<Shadow> shadows = new ArrayList<>();
    /** Reading the top-level header alone: it stops once the header is complete or as long as kept. */
    private boolean headerOnly;

    private record Shadow(Part part, ByteSink sink) {
    }

    /** How a part ended: at end of input, or at boundary line {@code index} ({@code close} if "--"). */
    private record End(int index, boolean close, long lineStart, long lfBefore, int prevTerminator) {
        static final End EOF = new End(-1, false, -1, -1, 0);

        boolean isEof() {
            return index < 0;
        }
    }

    private MessageParser(InputStream in, MessageStructure.Limits limits) {
        this(new LineReader(in), limits);
    }

    private MessageParser(LineReader reader, MessageStructure.Limits limits) {
        this.reader = reader;
        this.limits = limits;
        this.retainBudget = limits.maxRetainedHeaderBytes();
    }

    static MessageStructure parseStructure(InputStream normalized, MessageStructure.Limits limits)
            throws IOException {
        MessageParser parser = new MessageParser(normalized, limits);
        Part root = new Part();
        parser.parsePart(root, 0, false, true);
        return new MessageStructure(root, parser.reader.offset());
    }

    /**
     * The top-level header alone, as {@link #parseStructure} would keep it, reading no further than its
     * end (or than {@code maxHeaderBytes} of it, and the line end of a blank line just after them, even
     * within one endless line): a bounded prefix of the message.
     */
    static MessageHeader parseHeader(InputStream normalized, MessageStructure.Limits limits) throws IOException {
        var prefix = new BoundedInputStream(normalized, limits.maxHeaderBytes() + 2L);
        // most headers fit in a few KiB: a smaller buffer than a whole message's, allocated for every message sorted
        MessageParser parser = new MessageParser(new LineReader(prefix, HEADER_BUFFER), limits);
        parser.headerOnly = true;
        Part root = new Part();
        parser.readHeader(root);
        return new MessageHeader(Envelope.of(HeaderParser.parse(root.header)), root.header);
    }

    private End parsePart(Part part, int depth, boolean inDigest, boolean isMessage) throws IOException {
        partCount++;
        part.inDigest = inDigest;
        part.headerStart = reader.offset();
        End end = readHeader(part);
        List<HeaderField> fields = HeaderParser.parse(part.header);
        part.content = ContentFields.of(fields, !isMessage);
        if (isMessage) {
            part.envelope = Envelope.of(fields);
            retain(part);
        } else {
            part.header = NO_BYTES; // only message headers are ever filtered (HEADER.FIELDS)
        }
        part.lfAtBodyStart = end == null || end.isEof() ? reader.lfCount() : end.lfBefore();
        ContentFields c = part.content;
        boolean tooDeep = depth + 1 >= limits.maxDepth() || partCount >= limits.maxParts();
        if (c.isMultipart() || c.isMessageRfc822() || (c.type() == null && inDigest)) {
            part.flattened = tooDeep;
            if (!tooDeep) {
                part.kind = c.isMultipart() ? Part.Kind.MULTIPART : Part.Kind.MESSAGE;
            }
        }
        if (end != null) {
            // the header was cut short by a boundary or the end of input: the body is empty
            End passOn = finish(part, end);
            if (part.isMessageRfc822()) {
                part.message = emptyMessage(part.bodyStart, part.lfAtBodyStart);
                if (!end.isEof()) {
                    if (part.bodyStart < end.lineStart()) {
                        part.message.headerTerminated = true; // it starts at the CRLF the boundary took
                    } else {
                        startShadow(part.message, NO_BYTES);
                    }
                }
            }
            if (isMessage && depth > 0 && !end.isEof()) {
                startShadow(part, part.header);
            }
            return passOn;
        }
        return switch (part.kind) {
            case MULTIPART -> {
                String boundary = c.boundary();
                if (boundary == null || boundary.length() > MAX_BOUNDARY) {
                    yield finishLeaf(part);
                }
                yield parseMultipart(part, boundary, depth, "digest".equalsIgnoreCase(c.subtype()));
            }
            case MESSAGE -> {
                Part inner = new Part();
                End e = parsePart(inner, depth + 1, false, true);
                part.message = inner;
                yield finish(part, e);
            }
            case LEAF -> finishLeaf(part);
        };
    }

    /** Reads the next line and shows it to the open shadow headers. */
    private boolean nextLine(int keep) throws IOException {
        boolean more = reader.next(keep);
        if (!shadows.isEmpty()) {
            if (more) {
                feedShadows();
            } else {
                for (Shadow shadow : shadows) {
                    shadow.part().header = shadow.sink().toArray();
                }
                shadows.clear();
            }
        }
        return more;
    }

    /**
     * An attached message whose header a boundary cut off: for HEADER.FIELDS Dovecot reads header
     * lines on from the message start, past the part's end, up to a blank line or the end of
     * input. Those lines are collected here (capped) so that HEADER.FIELDS answers the same.
     */
    private void startShadow(Part message, byte[] header) {
        ByteSink sink = new ByteSink(limits.maxHeaderBytes());
        sink.add(header, header.length, header.length);
        sink.add(reader.kept, reader.keptLen, reader.length);
        shadows.add(new Shadow(message, sink));
    }

    private void feedShadows() {
        boolean blank = reader.isBlank();
        for (var it = shadows.iterator(); it.hasNext();) {
            Shadow shadow = it.next();
            if (blank) {
                shadow.part().header = shadow.sink().toArray();
                shadow.part().headerTerminated = true;
                it.remove();
            } else {
                shadow.sink().add(reader.kept, reader.keptLen, reader.length);
            }
        }
    }

    /** Keeps a message header for HEADER.FIELDS while the per-message total budget lasts. */
    private void retain(Part part) {
        if (part.header.length > retainBudget) {
            part.header = Arrays.copyOf(part.header, (int) retainBudget);
            part.headerTruncated = true;
        }
        retainBudget -= part.header.length;
    }

    /**
     * An empty encapsulated message whose part lost its last line end to a boundary starts at that
     * line end, which Dovecot then reads as the blank line ending an empty header.
     */
    private void startAtTakenLineEnd(Part inner, long at, long lf) {
        shadows.removeIf(shadow -> shadow.part() == inner);
        inner.headerStart = at;
        inner.bodyStart = at;
        inner.bodyEnd = at;
        inner.lfAtBodyStart = lf;
        inner.lines = 0;
        inner.header = NO_BYTES;
        inner.headerTerminated = true;
    }

    /** The encapsulated message of a message/rfc822 part without body: no header, no body. */
    private static Part emptyMessage(long at, long lf) {
        Part inner = new Part();
        inner.headerStart = at;
        inner.bodyStart = at;
        inner.bodyEnd = at;
        inner.lfAtBodyStart = lf;
        inner.header = NO_BYTES;
        inner.envelope = Envelope.of(List.of());
        inner.freeze();
        return inner;
    }

    /**
     * Reads header lines into {@code part.header} (capped). Returns null when a blank line ended the
     * header, else how the part ended (boundary line or end of input inside the header).
     */
    private End readHeader(Part part) throws IOException {
        ByteSink sink = new ByteSink(limits.maxHeaderBytes());
        for (;;) {
            int keep = Math.max(BODY_LINE_KEEP, sink.room());
            if (!nextLine(keep)) {
                part.bodyStart = reader.offset();
                part.header = sink.toArray();
                part.headerTruncated = sink.truncated;
                return End.EOF;
            }
            End b = boundaryAt();
            if (b != null) {
                part.bodyStart = reader.start;
                part.header = sink.toArray();
                part.headerTruncated = sink.truncated;
                return b;
            }
            sink.add(reader.kept, reader.keptLen, reader.length);
            if (reader.isBlank() || headerOnly && sink.truncated) { // the rest would be dropped as well
                part.headerTerminated = true;
                part.bodyStart = reader.offset();
                part.header = sink.toArray();
                part.headerTruncated = sink.truncated;
                return null;
            }
        }
    }

    private End finishLeaf(Part part) throws IOException {
        return finish(part, scanToBoundary());
    }

    private End parseMultipart(Part part, String boundary, int depth, boolean digest) throws IOException {
        byte[] marker = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int mine = boundaries.size();
        boundaries.add(marker);
        End e = scanToBoundary(); // preamble
        while (!e.isEof() && e.index() == mine && !e.close()) {
            Part child = new Part();
            e = parsePart(child, depth + 1, digest, false);
            part.children.add(child);
        }
        boundaries.remove(mine);
        if (!e.isEof() && e.index() == mine) {
            e = scanToBoundary(); // epilogue, up to an outer boundary
        }
        return finish(part, e);
    }

    private End scanToBoundary() throws IOException {
        while (nextLine(BODY_LINE_KEEP)) {
            End b = boundaryAt();
            if (b != null) {
                return b;
            }
        }
        return End.EOF;
    }

    /**
     * Matches the current line against the open boundaries, innermost first. The line end before a
     * boundary line belongs to the boundary, unless that line end closed another boundary line.
     */
    private End boundaryAt() {
        End found = match();
        if (found != null && lastWasBoundary) {
            found = new End(found.index(), found.close(), found.lineStart(), found.lfBefore(), 0);
        }
        lastWasBoundary = found != null;
        return found;
    }

    private End match() {
        byte[] line = reader.kept;
        int len = reader.keptLen;
        if (boundaries.isEmpty() || len < 2 || line[0] != '-' || line[1] != '-') {
            return null;
        }
        // Innermost first, but a longer matching boundary wins over a shorter prefix (Dovecot 2.3).
        int best = -1;
        for (int i = boundaries.size() - 1; i >= 0; i--) {
            byte[] m = boundaries.get(i);
            if (m.length <= len && Arrays.equals(line, 0, m.length, m, 0, m.length)
                    && (best < 0 || boundaries.get(best).length < m.length)) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        int ml = boundaries.get(best).length;
        // a boundary line cut off by the end of input starts no new part (Dovecot)
        boolean close = ml + 2 <= len && line[ml] == '-' && line[ml + 1] == '-' || reader.terminator == 0;
        return new End(best, close, reader.start, reader.lfBefore, reader.prevTerminator);
    }

    /**
     * Sets the body end and line count of a part that ended at {@code end}. The line end before a
     * boundary line belongs to the boundary: it is cut from the body, or, when the body is empty,
     * from the header's last line. In the latter case the enclosing parts keep it (Dovecot 2.3), so
     * the returned End, which they use in turn, no longer carries it.
     */
    private End finish(Part part, End end) {
        long stop;
        long lf;
        End passOn = end;
        if (end.isEof()) {
            stop = reader.offset();
            lf = reader.lfCount();
        } else {
            stop = end.lineStart();
            lf = end.lfBefore();
            if (end.prevTerminator() > 0) {
                if (stop > part.bodyStart) {
                    stop -= end.prevTerminator();
                    lf--;
                } else if (part.bodyStart > part.headerStart) {
                    part.bodyStart -= end.prevTerminator();
                    part.lfAtBodyStart--;
                    stop = part.bodyStart;
                    lf = part.lfAtBodyStart;
                    if (part.message != null) {
                        startAtTakenLineEnd(part.message, part.bodyStart, lf);
                    }
                    passOn = new End(end.index(), end.close(), end.lineStart(), end.lfBefore(), 0);
                }
            }
        }
        part.bodyEnd = Math.max(stop, part.bodyStart);
        part.lines = Math.max(0, lf - part.lfAtBodyStart);
        part.freeze();
        return passOn;
    }

    /** Collects header bytes up to a cap, remembering whether anything was cut. */
    private static final class ByteSink {
        private final int cap;
        private byte[] data = new byte[256];
        private int len;
        boolean truncated;

        ByteSink(int cap) {
            this.cap = cap;
        }

        int room() {
            return cap - len;
        }

        void add(byte[] b, int keptLen, long fullLen) {
            int n = Math.min(keptLen, cap - len);
            if (n < fullLen) {
                truncated = true;
            }
            if (n <= 0) {
                return;
            }
            if (len + n > data.length) {
                data = Arrays.copyOf(data, Math.max(len + n, Math.min(cap, data.length * 2)));
            }
            System.arraycopy(b, 0, data, len, n);
            len += n;
        }

        byte[] toArray() {
            return Arrays.copyOf(data, len);
        }
    }
}
