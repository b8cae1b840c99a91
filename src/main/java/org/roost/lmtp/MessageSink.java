package org.roost.lmtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where message bytes go as they arrive (after dot-unstuffing for DATA; as sent for BDAT), with the checks
 * LMTP makes of them: the size against the limit (beyond it the bytes are read and dropped), NULs, bare CR
 * or LF (RFC 5321 §2.3.8), and 8-bit bytes (which need BODY=8BITMIME, RFC 6152). Checks run across chunk
 * boundaries: a CR ending one BDAT chunk may be paired with the LF starting the next.
 */
final class MessageSink {
    private final OutputStream out;
    private final long maxSize;
    private long size;
    private boolean nul;
    private boolean bareLineEnd;
    private boolean eightBit;
    private boolean crPending;

    MessageSink(OutputStream out, long maxSize) {
        this.out = out;
        this.maxSize = maxSize;
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        for (int i = offset; i < end; ) {
            int plain = WordScan.plainRun(bytes, i, end);
            if (plain > i) {
                bareLineEnd |= crPending; // a plain byte is no LF
                crPending = false;
                i = plain;
            }
            for (int wordEnd = Math.min(end, i + Long.BYTES); i < wordEnd; i++) {
                check(bytes[i]);
            }
        }
        size += length;
        if (size <= maxSize) {
            out.write(bytes, offset, length);
        }
    }

    private void check(byte b) {
        if (crPending != (b == '\n')) {
            bareLineEnd = true; // a CR without an LF after it, or an LF without a CR before it
        }
        crPending = b == '\r';
        nul |= b == 0;
        eightBit |= b < 0;
    }

    /** Called at the end of the message: a CR at the very end is a bare CR too. */
    void finish() {
        if (crPending) {
            bareLineEnd = true;
            crPending = false;
        }
    }

    long size() {
        return size;
    }

    boolean tooBig() {
        return size > maxSize;
    }

    /** The first reason to refuse the content, or null when it may be delivered. */
    LmtpReply refusal(boolean eightBitDeclared) {
        if (tooBig()) {
            return LmtpReply.TOO_BIG;
        }
        if (nul) {
            return LmtpReply.NUL_IN_DATA;
        }
        if (bareLineEnd) {
            return LmtpReply.BARE_LINE_END;
        }
        if (eightBit && !eightBitDeclared) {
            return LmtpReply.UNDECLARED_8BIT;
        }
        return null;
    }
}
