package org.roost.imap.protocol.response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntToLongFunction;

/**
 * SEARCH data (RFC 3501 §7.2.5) {@code * SEARCH n n ...} and SORT data (RFC 5256 §4)
 * {@code * SORT n n ...}, numbers formatted straight into the buffer.
 */
public final class SearchResponse {
    private static final byte[] SEARCH = "* SEARCH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SORT = "* SORT".getBytes(StandardCharsets.US_ASCII);

    private SearchResponse() {}

    /** The messages found, as sequence numbers or UIDs ({@code number} maps a sequence number to what is shown). */
    public static void write(ResponseBuffer out, int[] found, IntToLongFunction number) throws IOException {
        numbers(out, SEARCH, found, number);
    }

    /** The messages sorted, in their order. */
    public static void writeSort(ResponseBuffer out, int[] sorted, IntToLongFunction number) throws IOException {
        numbers(out, SORT, sorted, number);
    }

    private static void numbers(ResponseBuffer out, byte[] label, int[] found, IntToLongFunction number)
            throws IOException {
        out.bytes(label);
        for (int seq : found) {
            out.write(' ');
            out.number(number.applyAsLong(seq));
        }
        out.endLine();
    }
}
