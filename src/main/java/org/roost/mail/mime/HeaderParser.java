package org.roost.mail.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits kept raw header bytes into {@link HeaderField}s (RFC 5322 §2.2, §2.2.3 folding). Values keep
 * NUL bytes: structured fields stop parsing there, as in Dovecot; string fields replace them.
 */
final class HeaderParser {
    /** U+FFFD in UTF-8, one char per byte: what Dovecot shows for a NUL in an envelope string. */
    static final String REPLACEMENT = new String(
            "\uFFFD".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

    private static final int DOVECOT_LINE_BUFFER = 8192;

    private HeaderParser() {
    }

    static List<HeaderField> parse(byte[] raw) {
        List<HeaderField> fields = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length) {
            int lineEnd = lineEnd(raw, pos);
            int contentEnd = contentEnd(raw, pos, lineEnd);
            if (contentEnd == pos && lineEnd > pos && raw[lineEnd - 1] == '\n') {
                break; // blank line: end of header
            }
            int fieldEnd = lineEnd;
            StringBuilder value = null;
            int colon = indexOf(raw, pos, contentEnd, (byte) ':');
            String name;
            if (colon < 0) {
                name = latin1(raw, pos, contentEnd);
            } else {
                int nameEnd = colon;
                while (nameEnd > pos && isLwsp(raw[nameEnd - 1])) {
                    nameEnd--;
                }
                name = latin1(raw, pos, nameEnd);
                int v = colon + 1;
                int firstNonLwsp = v;
                while (firstNonLwsp < contentEnd && isLwsp(raw[firstNonLwsp])) {
                    firstNonLwsp++;
                }
                if (firstNonLwsp == contentEnd && contentEnd > v) {
                    firstNonLwsp = v + 1; // value is only whitespace: skip just one
                }
                firstNonLwsp = longLineValueStart(raw, pos, colon, lineEnd, firstNonLwsp);
                value = new StringBuilder(latin1(raw, firstNonLwsp, contentEnd));
            }
            while (fieldEnd < raw.length && isLwsp(raw[fieldEnd])) {
                int nextEnd = lineEnd(raw, fieldEnd);
                int nextContentEnd = contentEnd(raw, fieldEnd, nextEnd);
                if (value != null) {
                    value.append(latin1(raw, contentEnd, fieldEnd)); // the fold's line end
                    value.append(latin1(raw, fieldEnd, nextContentEnd));
                }
                contentEnd = nextContentEnd;
                fieldEnd = nextEnd;
            }
            fields.add(new HeaderField(name, value == null ? null : value.toString(), pos, fieldEnd));
            pos = fieldEnd;
        }
        return fields;
    }

    /**
     * Dovecot reads header lines through an 8 KiB buffer. A longer line is split at the last
     * whitespace inside the buffer; if only whitespace lies between the colon and that point, the
     * value keeps the whitespace after it (e.g. "Subject: xxx..." longer than 8 KiB has the value
     * " xxx..."), which makes Dovecot send such a Subject as a literal. Same here, for parity.
     */
    private static int longLineValueStart(byte[] raw, int lineStart, int colon, int lineEnd, int usual) {
        if (lineEnd - lineStart < DOVECOT_LINE_BUFFER || colon - lineStart >= DOVECOT_LINE_BUFFER - 1) {
            return usual;
        }
        int split = lineStart + DOVECOT_LINE_BUFFER - 1;
        while (split > colon && !isLwsp(raw[split])) {
            split--;
        }
        if (split == colon) {
            return usual;
        }
        for (int k = colon + 1; k < split; k++) {
            if (!isLwsp(raw[k])) {
                return usual;
            }
        }
        return split == colon + 1 ? split : colon + 2;
    }

    private static boolean isLwsp(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Index just past the LF ending the line that starts at {@code from}, or the array end. */
    private static int lineEnd(byte[] raw, int from) {
        for (int i = from; i < raw.length; i++) {
            if (raw[i] == '\n') {
                return i + 1;
            }
        }
        return raw.length;
    }

    /** Index of the line's CRLF/LF terminator (the content end). */
    private static int contentEnd(byte[] raw, int start, int lineEnd) {
        int e = lineEnd;
        if (e > start && raw[e - 1] == '\n') {
            e--;
            if (e > start && raw[e - 1] == '\r') {
                e--;
            }
        }
        return e;
    }

    private static int indexOf(byte[] raw, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static String latin1(byte[] raw, int from, int to) {
        return new String(raw, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }
}
