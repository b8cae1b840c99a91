package org.roost.imap.protocol.response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.IntToLongFunction;
import org.roost.imap.protocol.Search;

/**
 * SEARCH data (RFC 3501 §7.2.5) {@code * SEARCH n n ...}, ESEARCH, and SORT data (RFC 5256 §4)
 * {@code * SORT n n ...}, numbers formatted straight into the buffer.
 */
public final class SearchResponse {
    private static final byte[] SEARCH = "* SEARCH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SORT = "* SORT".getBytes(StandardCharsets.US_ASCII);

    private SearchResponse() {}

    /**
     * {@code * ESEARCH (TAG "t") [UID] [MIN n] [MAX n] [ALL set] COUNT n [MODSEQ n]} (RFC 4731 §3.1, §3.2):
     * only the options asked for; MIN, MAX and ALL left out when nothing was found, COUNT always;
     * {@code found} holds the numbers shown (UIDs for UID SEARCH), ascending, or in sort order for an
     * extended SORT (RFC 5267 §3.1: MIN and MAX are the first and last sorted; §3.2: ranges only upward);
     * {@code modseq} 0 for none.
     */
    public static void esearch(ResponseBuffer out, String tag, boolean uid, Set<Search.ReturnOption> options,
            long[] found, long modseq) throws IOException {
        esearch(out, tag, uid, options, found, modseq, null, null, null);
    }

    /**
     * The same with PARTIAL's item (RFC 9394 §3.1): {@code PARTIAL (range set)}, or {@code PARTIAL (range NIL)}
     * when the range names no result; {@code range} as the client wrote it, {@code part} the numbers in it
     * (both null without PARTIAL); and RFC 6203 §3's {@code RELEVANCY (score ...)}, one score per message found
     * in {@code found}'s order, when {@code relevancies} is given and something was found.
     */
    public static void esearch(ResponseBuffer out, String tag, boolean uid, Set<Search.ReturnOption> options,
            long[] found, long modseq, String range, long[] part, int[] relevancies) throws IOException {
        out.ascii("* ESEARCH (TAG \"").ascii(tag).ascii("\")");
        if (uid) {
            out.ascii(" UID");
        }
        if (found.length > 0 && options.contains(Search.ReturnOption.MIN)) {
            out.ascii(" MIN ").number(found[0]);
        }
        if (found.length > 0 && options.contains(Search.ReturnOption.MAX)) {
            out.ascii(" MAX ").number(found[found.length - 1]);
        }
        if (found.length > 0 && options.contains(Search.ReturnOption.ALL)) {
            out.ascii(" ALL ");
            set(out, found);
        }
        if (options.contains(Search.ReturnOption.COUNT)) {
            out.ascii(" COUNT ").number(found.length);
        }
        if (modseq > 0) {
            out.ascii(" MODSEQ ").number(modseq);
        }
        if (range != null) {
            out.ascii(" PARTIAL (").ascii(range).write(' ');
            if (part.length == 0) {
                out.ascii("NIL");
            } else {
                set(out, part);
            }
            out.write(')');
        }
        if (relevancies != null && relevancies.length > 0) {
            out.ascii(" RELEVANCY (");
            for (int i = 0; i < relevancies.length; i++) {
                if (i > 0) {
                    out.write(' ');
                }
                out.number(relevancies[i]);
            }
            out.write(')');
        }
        out.endLine();
    }

    /** Numbers in their order as a sequence-set: runs going up by one become {@code a:b}. */
    public static void set(ResponseBuffer out, long[] numbers) throws IOException {
        for (int i = 0; i < numbers.length; i++) {
            int j = i;
            while (j + 1 < numbers.length && numbers[j + 1] == numbers[j] + 1) {
                j++;
            }
            if (i > 0) {
                out.write(',');
            }
            out.number(numbers[i]);
            if (j > i) {
                out.write(':');
                out.number(numbers[j]);
            }
            i = j;
        }
    }

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
        numbers(out, SEARCH, found, number);
        if (highestModseq > 0 && found.length > 0) {
            out.ascii(" (MODSEQ ").number(highestModseq);
            out.write(')');
        }
        out.endLine();
    }

    /** The messages sorted, in their order. */
    public static void writeSort(ResponseBuffer out, int[] sorted, IntToLongFunction number) throws IOException {
        numbers(out, SORT, sorted, number);
        out.endLine();
    }

    /** The start of a {@code * SORT} line whose numbers the caller writes, each after a space, then ends. */
    public static void beginSort(ResponseBuffer out) throws IOException {
        out.bytes(SORT);
    }

    private static void numbers(ResponseBuffer out, byte[] label, int[] found, IntToLongFunction number)
            throws IOException {
        out.bytes(label);
        for (int seq : found) {
            out.write(' ');
            out.number(number.applyAsLong(seq));
        }
    }
}
