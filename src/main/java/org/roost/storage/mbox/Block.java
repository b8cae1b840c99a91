package org.roost.storage.mbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.roost.mail.SystemFlag;

/**
 * The bookkeeping headers Roost writes into a message, in one block, as UW-IMAP and Dovecot read them:
 * <pre>
 * X-IMAPbase: 1796571236 0000000002 $Junk foo     (the first message only; X-IMAP in the pseudo-message)
 * X-UID: 1
 * Status: RO
 * X-Status: AF
 * Content-Length: 32
 * X-Keywords: $Junk                               (padded with spaces: room for later flag changes)
 * </pre>
 * X-Keywords comes last, so that the block never ends with {@code Content-Length}: a {@code Lines}
 * field right after it would be taken for mutt's (and hidden).
 * A flag change rewrites the block in place when the new one fits in the old one's bytes (the padding
 * shrinks or grows), so the rest of the file does not move.
 */
final class Block {
    /** Room left for flag and keyword changes in a new block. */
    static final int PADDING = 64;
    /** More room in the block holding X-IMAPbase: new keywords of the mailbox are listed there. */
    static final int BASE_PADDING = 256;

    /** What a block says. {@code uid} 0 for the pseudo-message; {@code contentLength} -1 for none. */
    record Spec(Metadata.Base base, long uid, Set<SystemFlag> flags, boolean old, List<String> keywords,
                long contentLength) {
    }

    private Block() {
    }

    /** A new block with its padding, after {@code kept} (header lines that lay between old bookkeeping lines). */
    static byte[] fresh(Spec spec, byte[] kept) {
        return fresh(spec, kept, 0);
    }

    /** A new block with {@code extra} bytes of room beyond the usual padding. */
    static byte[] fresh(Spec spec, byte[] kept, int extra) {
        var natural = natural(spec, kept);
        return padded(natural, natural.length + extra + (spec.base() != null ? BASE_PADDING : PADDING));
    }

    /** The block made exactly {@code length} bytes long, or null when it does not fit. */
    static byte[] fitted(Spec spec, byte[] kept, int length) {
        var natural = natural(spec, kept);
        return natural.length > length ? null : padded(natural, length);
    }

    /** The block without padding; its last line is the X-Keywords line. */
    private static byte[] natural(Spec spec, byte[] kept) {
        var out = new StringBuilder();
        var base = spec.base();
        if (base != null) {
            out.append(base.pseudo() ? "X-IMAP: " : "X-IMAPbase: ").append(base.uidValidity())
                    .append(String.format(" %010d", base.lastUid()));
            base.keywords().forEach(k -> out.append(' ').append(k));
            out.append('\n');
        }
        if (spec.uid() > 0) {
            out.append("X-UID: ").append(spec.uid()).append('\n');
        }
        var status = (spec.flags().contains(SystemFlag.SEEN) ? "R" : "") + (spec.old() ? "O" : "");
        if (!status.isEmpty()) {
            out.append("Status: ").append(status).append('\n');
        }
        var xStatus = (spec.flags().contains(SystemFlag.ANSWERED) ? "A" : "")
                + (spec.flags().contains(SystemFlag.FLAGGED) ? "F" : "")
                + (spec.flags().contains(SystemFlag.DRAFT) ? "T" : "")
                + (spec.flags().contains(SystemFlag.DELETED) ? "D" : "");
        if (!xStatus.isEmpty()) {
            out.append("X-Status: ").append(xStatus).append('\n');
        }
        if (spec.contentLength() >= 0) {
            out.append("Content-Length: ").append(spec.contentLength()).append('\n');
        }
        out.append("X-Keywords:");
        spec.keywords().forEach(k -> out.append(' ').append(k));
        out.append('\n');
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(kept);
        bytes.writeBytes(out.toString().getBytes(StandardCharsets.US_ASCII));
        return bytes.toByteArray();
    }

    /** Widens the X-Keywords line with spaces so the block is {@code length} bytes long. */
    private static byte[] padded(byte[] natural, int length) {
        if (natural.length == length) {
            return natural;
        }
        int at = endOfKeywordsLine(natural);
        var out = Arrays.copyOf(natural, length);
        int pad = length - natural.length;
        System.arraycopy(natural, at, out, at + pad, natural.length - at);
        Arrays.fill(out, at, at + pad, (byte) ' ');
        return out;
    }

    /** Where the LF of the X-Keywords line is. */
    private static int endOfKeywordsLine(byte[] block) {
        var marker = "X-Keywords:".getBytes(StandardCharsets.US_ASCII);
        for (int i = block.length - marker.length; i >= 0; i--) {
            if (Arrays.equals(block, i, i + marker.length, marker, 0, marker.length)
                    && (i == 0 || block[i - 1] == '\n')) {
                return Exposure.indexOfLf(block, i, block.length);
            }
        }
        throw new IllegalStateException("a block always has an X-Keywords line");
    }
}
