package org.roost.mail.mime;

import java.io.InputStream;

/**
 * Undoes the quoted-printable content-transfer-encoding (RFC 2045 §6.7) as it streams, line by line:
 * {@code =XX} becomes its octet (lower-case hex accepted, rule 1), trailing blanks of a line are
 * transport padding and dropped (rule 3), a line ending in {@code =} is a soft break (rule 5; also
 * on the last line, without a line end), and an {@code =} not followed by two hex digits is kept as it
 * is, as §6.7's note advises robust decoders to do. Line ends are kept as they are.
 */
final class QuotedPrintableDecodingInputStream extends DecodingInputStream {

    QuotedPrintableDecodingInputStream(InputStream source, int bufferSize) {
        super(source, bufferSize);
    }

    @Override
    int decode(byte[] out, boolean sourceEnded) {
        int n = 0;
        while (rawStart < rawEnd) {
            int lf = indexOf('\n', rawStart, rawEnd);
            if (lf >= 0) {
                n = line(out, n, rawStart, lf + 1);
                rawStart = lf + 1;
            } else if (sourceEnded) {
                n = line(out, n, rawStart, rawEnd);
                rawStart = rawEnd;
            } else if (rawStart == 0 && rawEnd == raw.length) {
                // a line longer than the buffer: decode what cannot be its trailing blanks or a split =XX
                int safe = safeEnd(rawStart, rawEnd);
                n = text(out, n, rawStart, safe);
                rawStart = safe;
                break;
            } else {
                break; // the rest of the line comes with the next chunk
            }
        }
        return n;
    }

    /** One line {@code [from, to)}, with its line end if it has one. */
    private int line(byte[] out, int n, int from, int to) {
        int contentEnd = to;
        if (contentEnd > from && raw[contentEnd - 1] == '\n') {
            contentEnd--;
            if (contentEnd > from && raw[contentEnd - 1] == '\r') {
                contentEnd--;
            }
        }
        int textEnd = contentEnd;
        while (textEnd > from && isBlank(raw[textEnd - 1])) {
            textEnd--;
        }
        if (textEnd > from && raw[textEnd - 1] == '=') {
            return text(out, n, from, textEnd - 1); // soft line break: the line end goes too
        }
        n = text(out, n, from, textEnd);
        System.arraycopy(raw, contentEnd, out, n, to - contentEnd);
        return n + to - contentEnd;
    }

    /** Decodes {@code =XX} in {@code [from, to)}; everything else is copied. */
    private int text(byte[] out, int n, int from, int to) {
        int i = from;
        while (i < to) {
            byte b = raw[i];
            if (b == '=' && i + 2 < to) {
                int high = hex(raw[i + 1]);
                int low = hex(raw[i + 2]);
                if (high >= 0 && low >= 0) {
                    out[n++] = (byte) (high << 4 | low);
                    i += 3;
                    continue;
                }
            }
            out[n++] = b;
            i++;
        }
        return n;
    }

    /** The end of a long line's decodable part: before its last blanks and any {@code =} among its last two bytes. */
    private int safeEnd(int from, int to) {
        int end = to;
        while (end > from && isBlank(raw[end - 1])) {
            end--;
        }
        for (int i = Math.max(from, end - 2); i < end; i++) {
            if (raw[i] == '=') {
                end = i;
                break;
            }
        }
        return end == from ? to : end; // only blanks: they are text, a run that long is no padding
    }

    private int indexOf(int b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
