package org.roost.imap.protocol.response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntToLongFunction;

/** SEARCH data (RFC 3501 §7.2.5): {@code * SEARCH n n ...}, numbers formatted straight into the buffer. */
public final class SearchResponse {
    private static final byte[] SEARCH = "* SEARCH".getBytes(StandardCharsets.US_ASCII);

    private SearchResponse() {}

    /** The messages found, as sequence numbers or UIDs ({@code number} maps a sequence number to what is shown). */
    public static void write(ResponseBuffer out, int[] found, IntToLongFunction number) throws IOException {
        write(out, found, number, 0);
    }

    /**
     * The same, ending in {@code (MODSEQ n)} when {@code highestModseq} is positive: the highest MODSEQ of
     * the messages found, for a search with a MODSEQ key (RFC 7162 §3.1.6; never with no message found).
     */
    public static void write(ResponseBuffer out, int[] found, IntToLongFunction number, long highestModseq)
            throws IOException {
        out.bytes(SEARCH);
        for (int seq : found) {
            out.write(' ');
            out.number(number.applyAsLong(seq));
        }
        if (highestModseq > 0 && found.length > 0) {
            out.ascii(" (MODSEQ ").number(highestModseq);
            out.write(')');
        }
        out.endLine();
    }
}
