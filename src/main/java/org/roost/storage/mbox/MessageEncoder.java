package org.roost.storage.mbox;

import java.io.IOException;
import java.io.InputStream;

/**
 * Writes a new message into an mbox journal as mbox programs expect it: a {@code From_} line, Roost's
 * bookkeeping block, the message with CRLF line ends made LF (a CR right before another CR's line end
 * is kept, so the client's bytes come back exactly), the mailbox's own headers dropped from it (as
 * Dovecot drops them: a sender must not set a message's flags or UID), every line that could pass for
 * a separator quoted (mboxrd), and the empty line that separates it from the next message.
 *
 * <p>When the message has a body, its stored length goes into the block as {@code Content-Length},
 * written over the block's padding once the body is done: with it, a message that does not end with
 * a line end reads back exactly. A message without a body gets none (the separator's line end reads
 * back as the end of its header, which a length would contradict).
 */
final class MessageEncoder {
    /** Room for "Content-Length: " and the longest length. */
    private static final int LENGTH_ROOM = 40;

    private MessageEncoder() {
    }

    /** Encodes {@code message} at the journal's end; {@code spec} without a content length. */
    static void encode(InputStream message, byte[] fromLine, Block.Spec spec, Journal.Output out) throws IOException {
        out.write(fromLine);
        long blockAt = out.length();
        var block = Block.fresh(spec, new byte[0], LENGTH_ROOM);
        out.write(block);
        long start = out.length();
        var filter = new Exposure(out::write, true);
        var lineEnds = new LineEnds(filter);
        var buffer = new byte[1 << 16];
        for (int n; (n = message.read(buffer)) > 0; ) {
            lineEnds.feed(buffer, 0, n);
        }
        lineEnds.finish();
        filter.finish();
        long header = filter.headerLength();
        if (header >= 0) {
            long bodyLength = out.length() - start - header;
            var withLength = new Block.Spec(spec.base(), spec.uid(), spec.flags(), spec.old(), spec.keywords(),
                    bodyLength);
            out.patch(blockAt, Block.fitted(withLength, new byte[0], block.length));
        }
        out.write(new byte[] {'\n'});
    }

    /** Makes CRLF line ends LF, except where the CR follows another CR (then both stay). */
    private static final class LineEnds {
        private final Exposure next;
        private boolean heldCr;
        private boolean crBeforeHeld;
        private byte previous;
        private final byte[] one = new byte[1];

        LineEnds(Exposure next) {
            this.next = next;
        }

        void feed(byte[] b, int offset, int length) throws IOException {
            int runStart = offset;
            for (int i = offset, end = offset + length; i < end; i++) {
                byte c = b[i];
                if (heldCr) {
                    heldCr = false;
                    if (!(c == '\n' && !crBeforeHeld)) {
                        emit('\r');
                    }
                }
                if (c == '\r') {
                    next.feed(b, runStart, i - runStart);
                    runStart = i + 1;
                    heldCr = true;
                    crBeforeHeld = previous == '\r';
                }
                previous = c;
            }
            next.feed(b, runStart, offset + length - runStart);
        }

        private void emit(char c) throws IOException {
            one[0] = (byte) c;
            next.feed(one, 0, 1);
        }

        void finish() throws IOException {
            if (heldCr) {
                heldCr = false;
                emit('\r');
            }
        }
    }
}
