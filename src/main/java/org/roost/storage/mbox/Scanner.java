package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the messages of an mbox file (or of its part from a message boundary on) in one forward
 * pass: where each message and its parts lie, its bookkeeping headers, and its size as clients see
 * it. Nothing in the file can make it fail or loop: lines of any length, NUL bytes, a lying
 * {@code Content-Length}, a missing last line end or a file that does not start with a
 * {@code From_} line all give messages (the bytes before the first separator are a message of
 * their own, so that nothing in the file is hidden).
 *
 * <p>A message ends before the line end that precedes the next separator (or the end of the file),
 * as Dovecot reads it: that line end is the separator's, normally the empty line mbox writers put
 * between messages.
 */
final class Scanner {

    /** What the scan found of one message. Offsets are positions in the file. */
    record Found(long offset, int fromLength, long date, int fromCrc, long headerEnd, long bodyStart,
                 long contentEnd, long end, long metaStart, long metaEnd, int metaCrc, Metadata meta, long size,
                 long virtualSize) {
        /** Where the message's content (its header) starts: after the separator line. */
        long headerStart() {
            return offset + fromLength;
        }

        /**
         * Whether {@code other} tells the same bytes in the same place (its bookkeeping values aside, which each
         * reading of the map makes anew): a reader half-way through the message can go on where it was.
         */
        boolean samePlace(Found other) {
            return offset == other.offset && fromLength == other.fromLength && fromCrc == other.fromCrc
                    && headerEnd == other.headerEnd && bodyStart == other.bodyStart && contentEnd == other.contentEnd
                    && end == other.end && metaStart == other.metaStart && metaEnd == other.metaEnd
                    && metaCrc == other.metaCrc && size == other.size && virtualSize == other.virtualSize;
        }
    }

    /** Lines up to this length are looked at whole (header fields, separators); longer ones are passed through. */
    static final int MAX_LINE = 64 * 1024;
    /** Bookkeeping headers this far apart still form one block that a flag change can rewrite in place. */
    static final int MAX_BLOCK = 64 * 1024;
    private static final int WINDOW = 1 << 20;

    private final FileChannel channel;
    private final ZoneId zone;
    private final ByteWindow window;
    private final byte[] peek = new byte[FromLine.MAX_LENGTH + 2];
    /** Where the current message's content starts (after its separator line). */
    private long headerStart;

    private Scanner(FileChannel channel, long start, long end, ZoneId zone) {
        this.channel = channel;
        this.zone = zone;
        this.window = new ByteWindow(channel, start, end, WINDOW);
    }

    /** The messages from {@code start} (the file's start or a message's separator line) to {@code end}. */
    static List<Found> scan(FileChannel channel, long start, long end, ZoneId zone) throws IOException {
        return scan(channel, start, end, zone, Integer.MAX_VALUE);
    }

    /** At most {@code limit} messages from {@code start}. */
    static List<Found> scan(FileChannel channel, long start, long end, ZoneId zone, int limit) throws IOException {
        return new Scanner(channel, start, end, zone).messages(limit);
    }

    private List<Found> messages(int limit) throws IOException {
        var found = new ArrayList<Found>();
        if (window.offset() == 0) {
            skipLeadingEmptyLines();
        }
        while (!window.atEnd() && found.size() < limit) {
            found.add(message());
        }
        return found;
    }

    /** Empty lines before the first separator are no message (some writers start a file with one). */
    private void skipLeadingEmptyLines() throws IOException {
        while (window.fill(2) > 0) {
            byte[] b = window.buffer();
            int p = window.pos();
            int available = window.limit() - p;
            if (b[p] == '\n') {
                window.advance(1);
            } else if (available >= 2 && b[p] == '\r' && b[p + 1] == '\n') {
                window.advance(2);
            } else {
                return;
            }
        }
    }

    private Found message() throws IOException {
        long offset = window.offset();
        int lineLength = lineLength();
        long date = lineLength > 0 ? separatorDate(lineLength) : Long.MIN_VALUE;
        int fromLength = date == Long.MIN_VALUE ? 0 : lineLength;
        int fromCrc = crc(fromLength);
        window.advance(fromLength);
        headerStart = window.offset();
        var size = new ExposedSize();
        var exposure = new Exposure(size);
        var header = new HeaderReader(exposure);
        long contentEnd = header.read();
        long bodyStart = window.offset();
        long headerEnd = header.headerEnd >= 0 ? header.headerEnd : bodyStart;
        long next;
        if (contentEnd < 0) {
            long byLength = header.meta.contentLength >= 0 ? trustedLength(bodyStart, header.meta.contentLength) : -1;
            if (byLength >= 0) {
                feedBulk(exposure, bodyStart + header.meta.contentLength);
                contentEnd = bodyStart + header.meta.contentLength;
                next = contentEnd + byLength;
                exposure.finish();
                window.seek(next);
                return new Found(offset, fromLength, date, fromCrc, headerEnd, bodyStart, contentEnd, next,
                        header.metaStart, header.metaEnd, header.metaCrc, header.meta, size.size(), size.virtualSize());
            }
            contentEnd = body(exposure);
        }
        exposure.finish();
        next = window.offset();
        if (contentEnd < next && exposure.endsWithLineEnd()) {
            size.retractLineEnd();
        }
        return new Found(offset, fromLength, date, fromCrc, headerEnd, Math.min(bodyStart, contentEnd), contentEnd,
                next, header.metaStart, header.metaEnd, header.metaCrc, header.meta, size.size(), size.virtualSize());
    }

    /** Reads body lines up to the next separator (or the end); returns where the content ends. */
    private long body(Exposure exposure) throws IOException {
        while (true) { // each round starts at a line start
            int available = window.fill(MAX_LINE);
            if (available == 0) {
                return contentEndBefore(window.offset());
            }
            byte[] b = window.buffer();
            int start = window.pos();
            int limit = window.limit();
            if (separatorAt(start, limit) == Separator.YES) {
                return contentEndBefore(window.offset());
            }
            int i = start;
            // The lines of this window go to the exposure in one piece, up to a separator.
            while (true) {
                int lf = Exposure.indexOfLf(b, i, limit);
                if (lf < 0) {
                    boolean lastLine = window.offset() + (limit - start) >= window.end();
                    boolean overLong = limit - i >= MAX_LINE;
                    int upTo = lastLine || overLong ? limit : i;
                    exposure.feed(b, start, upTo - start);
                    window.advance(upTo - start);
                    if (lastLine) {
                        return contentEndBefore(window.offset());
                    }
                    if (overLong) {
                        skipRestOfLine(exposure);
                    }
                    break;
                }
                int next = lf + 1;
                var separator = next < limit ? separatorAt(next, limit) : Separator.NEED_MORE;
                if (separator != Separator.NO) {
                    exposure.feed(b, start, next - start);
                    window.advance(next - start);
                    if (separator == Separator.YES) {
                        return contentEndBefore(window.offset());
                    }
                    break; // the next line is not whole here: look again after a refill
                }
                i = next;
            }
        }
    }

    private enum Separator { YES, NO, NEED_MORE }

    /** Whether the line at {@code i} of the window is a separator, or whether more bytes must be read to tell. */
    private Separator separatorAt(int i, int limit) {
        byte[] b = window.buffer();
        if (b[i] != 'F') {
            return Separator.NO;
        }
        int lf = Exposure.indexOfLf(b, i, Math.min(limit, i + FromLine.MAX_LENGTH + 1));
        boolean lastLine = window.offset() + (limit - window.pos()) >= window.end();
        if (lf < 0 && limit - i <= FromLine.MAX_LENGTH && !lastLine) {
            return Separator.NEED_MORE;
        }
        int text = lf >= 0 ? lf - i : limit - i;
        return FromLine.parse(b, i, text, zone) != Long.MIN_VALUE ? Separator.YES : Separator.NO;
    }

    /** Passes the rest of an over-long line through, up to and with its LF. */
    private void skipRestOfLine(Exposure exposure) throws IOException {
        while (window.fill(WINDOW) > 0) {
            byte[] b = window.buffer();
            int lf = Exposure.indexOfLf(b, window.pos(), window.limit());
            int stop = lf < 0 ? window.limit() : lf + 1;
            exposure.feed(b, window.pos(), stop - window.pos());
            window.advance(stop - window.pos());
            if (lf >= 0) {
                return;
            }
        }
    }

    /**
     * The content ends before the line end in front of {@code at} (the separator's), if there is one
     * after the message's separator line (whose own line end it never is).
     */
    private long contentEndBefore(long at) throws IOException {
        if (at - 1 < headerStart || read(at - 1, 1) < 1 || peek[0] != '\n') {
            return at;
        }
        return at - 2 >= headerStart && read(at - 2, 1) == 1 && peek[0] == '\r' ? at - 2 : at - 1;
    }

    /** Feeds the bytes up to {@code to} as they are (a body whose length is known). */
    private void feedBulk(Exposure exposure, long to) throws IOException {
        while (window.offset() < to) {
            int available = window.fill(WINDOW);
            int n = (int) Math.min(available, to - window.offset());
            if (n <= 0) {
                return;
            }
            exposure.feed(window.buffer(), window.pos(), n);
            window.advance(n);
        }
    }

    /**
     * When {@code length} body bytes from {@code bodyStart} end just before a line end and another
     * separator (or the end of the file), the length of that line end (0 at the very end); else -1.
     */
    private long trustedLength(long bodyStart, long length) throws IOException {
        long at = bodyStart + length;
        long end = window.end();
        if (at > end) {
            return -1;
        }
        if (at == end) {
            return 0;
        }
        int n = read(at, Math.min(peek.length, (int) Math.min(Integer.MAX_VALUE, end - at)));
        int eol = n >= 1 && peek[0] == '\n' ? 1 : n >= 2 && peek[0] == '\r' && peek[1] == '\n' ? 2 : -1;
        if (eol < 0) {
            return -1;
        }
        if (at + eol == end) {
            return eol;
        }
        int lf = Exposure.indexOfLf(peek, eol, n);
        int lineEnd = lf < 0 ? n : lf;
        return FromLine.parse(peek, eol, lineEnd - eol, zone) != Long.MIN_VALUE ? eol : -1;
    }

    /** The length (with LF) of the line at the cursor, at most {@link FromLine#MAX_LENGTH} + 1; 0 at the end. */
    private int lineLength() throws IOException {
        int available = window.fill(FromLine.MAX_LENGTH + 1);
        int lf = Exposure.indexOfLf(window.buffer(), window.pos(), window.pos() + available);
        return lf < 0 ? available : lf - window.pos() + 1;
    }

    /** The date of the separator line at the cursor ({@code length} bytes with its LF), or {@code Long.MIN_VALUE}. */
    private long separatorDate(int length) {
        byte[] b = window.buffer();
        int p = window.pos();
        int text = length > 0 && b[p + length - 1] == '\n' ? length - 1 : length;
        return FromLine.parse(b, p, text, zone);
    }

    private int crc(int length) {
        var crc = new CRC32C();
        crc.update(window.buffer(), window.pos(), length);
        return (int) crc.getValue();
    }

    /** Reads up to {@code n} bytes at {@code at} into {@link #peek}; returns how many. */
    private int read(long at, int n) throws IOException {
        if (at < 0) {
            return 0;
        }
        var target = ByteBuffer.wrap(peek, 0, Math.min(n, peek.length));
        while (target.hasRemaining()) {
            if (channel.read(target, at + target.position()) < 0) {
                break;
            }
        }
        return target.position();
    }

    /**
     * Reads the header lines at the cursor, feeding them to the exposure and noting the bookkeeping
     * fields. Stops after the empty line that ends the header, or before a separator line when a
     * message has no body (then returns where its content ends; otherwise -1).
     */
    private final class HeaderReader {
        private final Exposure exposure;
        final Metadata meta = new Metadata();
        long headerEnd = -1;
        long metaStart = -1;
        long metaEnd = -1;
        /** CRC-32C of the block's bytes, so that a later sync can tell whether another program changed it. */
        int metaCrc;
        private CRC32C blockCrc;
        private boolean blockOpen = true;
        private String fieldName;
        private final StringBuilder fieldValue = new StringBuilder();
        private boolean fieldHidden;

        HeaderReader(Exposure exposure) {
            this.exposure = exposure;
        }

        long read() throws IOException {
            boolean afterContentLength = false;
            while (true) {
                int available = window.fill(MAX_LINE);
                if (available == 0) {
                    endField();
                    return contentEndBefore(window.offset());
                }
                byte[] b = window.buffer();
                int p = window.pos();
                int lf = Exposure.indexOfLf(b, p, p + available);
                int length = lf < 0 ? available : lf - p + 1;
                long lineStart = window.offset();
                int text = lf < 0 ? length : (lf > p && b[lf - 1] == '\r' ? length - 2 : length - 1);
                if (text == 0 && lf >= 0) {
                    endField();
                    headerEnd = lineStart;
                    exposure.feed(b, p, length);
                    window.advance(length);
                    return -1;
                }
                if (b[p] == 'F' && FromLine.parse(b, p, text, zone) != Long.MIN_VALUE) {
                    endField();
                    return contentEndBefore(lineStart);
                }
                boolean continuation = b[p] == ' ' || b[p] == '\t';
                if (!continuation) {
                    endField();
                    int colon = indexOf(b, p, p + Math.min(text, Exposure.NAME_LOOKAHEAD), (byte) ':');
                    if (colon > p) {
                        fieldName = new String(b, p, colon - p, StandardCharsets.ISO_8859_1);
                        fieldHidden = Exposure.isHidden(fieldName, afterContentLength);
                        afterContentLength = fieldName.equalsIgnoreCase("content-length");
                        if (fieldHidden) {
                            fieldValue.append(new String(b, colon + 1, p + text - colon - 1, StandardCharsets.ISO_8859_1));
                        }
                    } else {
                        afterContentLength = false;
                    }
                } else if (fieldHidden) {
                    fieldValue.append(' ').append(new String(b, p, text, StandardCharsets.ISO_8859_1).strip());
                }
                if (lf >= 0) {
                    trackBlock(b, p, length, lineStart, fieldHidden);
                } else if (metaStart >= 0) {
                    blockOpen = false;
                }
                exposure.feed(b, p, length);
                window.advance(length);
                if (lf < 0) {
                    if (window.offset() >= window.end()) {
                        endField();
                        return window.offset();
                    }
                    fieldHidden = false; // an over-long line is never bookkeeping
                    fieldName = null;
                    skipRestOfLine(exposure);
                }
            }
        }

        /**
         * Widens the bookkeeping block to a hidden line, unless it lies too far from the block's start
         * (or past an over-long line); the block's checksum covers every line between its first and last.
         */
        private void trackBlock(byte[] b, int p, int length, long lineStart, boolean hidden) {
            if (!blockOpen) {
                return;
            }
            if (metaStart < 0) {
                if (!hidden) {
                    return;
                }
                metaStart = lineStart;
                blockCrc = new CRC32C();
            }
            if (lineStart + length - metaStart > MAX_BLOCK) {
                blockOpen = false;
                return;
            }
            blockCrc.update(b, p, length);
            if (hidden) {
                metaEnd = lineStart + length;
                metaCrc = (int) blockCrc.getValue();
            }
        }

        private void endField() {
            if (fieldName != null && fieldHidden && fieldValue.length() <= MAX_LINE) {
                meta.field(fieldName, fieldValue.toString());
            }
            fieldName = null;
            fieldHidden = false;
            fieldValue.setLength(0);
        }
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
