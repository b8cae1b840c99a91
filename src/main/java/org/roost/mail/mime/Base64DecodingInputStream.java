package org.roost.mail.mime;

import java.io.InputStream;
import java.util.Arrays;

/**
 * Undoes the base64 content-transfer-encoding (RFC 2045 §6.8) as it streams: characters outside the
 * alphabet (line breaks, stray bytes) are ignored, and the first {@code =} ends the data, "evidence that
 * the end of the data has been reached"; what follows it is ignored. A final group of two or three
 * characters gives one or two bytes; a lone last character gives none.
 */
final class Base64DecodingInputStream extends DecodingInputStream {
    private static final byte PAD = -2;
    private static final byte[] VALUES = values();
    /** Each character's value at its place in a group of four, negative for any other byte: one test per group. */
    private static final int[] SHIFTED_18 = shifted(18);
    private static final int[] SHIFTED_12 = shifted(12);
    private static final int[] SHIFTED_6 = shifted(6);
    private static final int[] SHIFTED_0 = shifted(0);
    /** Bits of the characters of an unfinished group, {@link #pending} of them. */
    private int bits;
    private int pending;
    private boolean padded;

    Base64DecodingInputStream(InputStream source, int bufferSize) {
        super(source, bufferSize);
    }

    @Override
    int decode(byte[] out, boolean sourceEnded) {
        int in = rawStart;
        int end = rawEnd;
        int n = 0;
        if (padded) {
            rawStart = end;
            return 0;
        }
        var raw = this.raw;
        while (in < end) {
            if (pending == 0) {
                // whole groups of four alphabet characters: most of a line
                while (in + 4 <= end) {
                    int group = SHIFTED_18[raw[in] & 0xff] | SHIFTED_12[raw[in + 1] & 0xff]
                            | SHIFTED_6[raw[in + 2] & 0xff] | SHIFTED_0[raw[in + 3] & 0xff];
                    if (group < 0) {
                        break;
                    }
                    out[n] = (byte) (group >> 16);
                    out[n + 1] = (byte) (group >> 8);
                    out[n + 2] = (byte) group;
                    n += 3;
                    in += 4;
                }
                if (in == end) {
                    break;
                }
            }
            int v = VALUES[raw[in++] & 0xff];
            if (v == PAD) {
                padded = true;
                in = end;
                break;
            }
            if (v >= 0) {
                bits = bits << 6 | v;
                if (++pending == 4) {
                    out[n] = (byte) (bits >> 16);
                    out[n + 1] = (byte) (bits >> 8);
                    out[n + 2] = (byte) bits;
                    n += 3;
                    pending = 0;
                    bits = 0;
                }
            }
        }
        rawStart = in;
        if (padded || sourceEnded) {
            n = finish(out, n);
        }
        return n;
    }

    /** The bytes of an unfinished last group: 2 characters hold one byte, 3 hold two. */
    private int finish(byte[] out, int n) {
        if (pending == 2) {
            out[n++] = (byte) (bits >> 4);
        } else if (pending == 3) {
            out[n++] = (byte) (bits >> 10);
            out[n++] = (byte) (bits >> 2);
        }
        pending = 0;
        bits = 0;
        return n;
    }

    private static int[] shifted(int shift) {
        var shifted = new int[256];
        for (int i = 0; i < 256; i++) {
            shifted[i] = VALUES[i] < 0 ? Integer.MIN_VALUE : VALUES[i] << shift;
        }
        return shifted;
    }

    private static byte[] values() {
        var values = new byte[256];
        Arrays.fill(values, (byte) -1);
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            values[alphabet.charAt(i)] = (byte) i;
        }
        values['='] = PAD;
        return values;
    }
}
