package org.roost.imap.sort;

import java.io.IOException;
import java.util.function.IntPredicate;
import org.roost.imap.protocol.Sort;
import org.roost.imap.protocol.SortCriterion;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.SearchResponse;
import org.roost.index.MailboxView;
import org.roost.index.SortRanking;
import org.roost.mail.sort.PackedLongs;
import org.roost.net.Cancellation;

/**
 * A plain SORT by one header field or by ARRIVAL answered straight from the kept ranking's order: the numbers are
 * formatted into the response buffer as the order is walked, with no sort and no array or object per
 * message (what a webmail asks at every look at a folder of a million messages). Serves only while the
 * ranking holds exactly the view's messages, so that position i is sequence number i + 1.
 */
final class KeptOrder {
    /** A walk costs nanoseconds a message: the cancellation is checked every 65536. */
    private static final int CHECK_MASK = (1 << 16) - 1;

    private final SortRanking ranking;
    private final IntPredicate found;
    private final boolean uid;
    private final ResponseBuffer out;
    private final Cancellation cancellation;
    private int walked;

    private KeptOrder(SortRanking ranking, IntPredicate found, boolean uid, ResponseBuffer out,
            Cancellation cancellation) {
        this.ranking = ranking;
        this.found = found;
        this.uid = uid;
        this.out = out;
        this.cancellation = cancellation;
    }

    /** The kept ranking that can answer {@code command} over {@code view}, or null when the general path must. */
    static SortRanking ranking(Sort command, MailboxView view, Cancellation cancellation) throws IOException {
        if (command.returns() != null || command.criteria().size() != 1) {
            return null;
        }
        var ranking = switch (command.criteria().getFirst().key()) {
            case SIZE, RELEVANCY -> null;
            case ARRIVAL -> view.arrivalRanking(cancellation);
            case SortCriterion.Key key -> view.keptSortRanking(SortCommand.field(key));
        };
        return ranking != null && ranking.holdsExactly(view) ? ranking : null;
    }

    /**
     * Writes the {@code * SORT} line of the messages {@code found} (by sequence number) in {@code ranking}'s
     * order: equal ranks in sequence order, also under REVERSE, which reverses only the ranks (RFC 5256 §3).
     */
    static void write(Sort command, SortRanking ranking, IntPredicate found, ResponseBuffer out,
            Cancellation cancellation) throws IOException {
        var walk = new KeptOrder(ranking, found, command.uid(), out, cancellation);
        SearchResponse.beginSort(out);
        if (command.criteria().getFirst().reverse()) {
            walk.backwards();
        } else {
            walk.forwards();
        }
        out.endLine();
    }

    private void forwards() throws IOException {
        var order = ranking.order();
        for (int k = 0; k < order.size(); k++) {
            emit(order.getInt(k));
        }
    }

    /** From the highest rank down, each run of equal ranks forwards. */
    private void backwards() throws IOException {
        var order = ranking.order();
        int end = order.size();
        while (end > 0) {
            int start = runStart(order, end - 1);
            for (int k = start; k < end; k++) {
                emit(order.getInt(k));
            }
            end = start;
        }
    }

    /** The first place in {@code order} of the run of equal ranks that ends at {@code last}. */
    private int runStart(PackedLongs order, int last) {
        long rank = ranking.rankAt(order.getInt(last));
        int start = last;
        while (start > 0 && ranking.rankAt(order.getInt(start - 1)) == rank) {
            start--;
        }
        return start;
    }

    private void emit(int position) throws IOException {
        if ((walked++ & CHECK_MASK) == 0) {
            cancellation.check();
        }
        int seq = position + 1;
        if (found.test(seq)) {
            out.write(' ');
            out.number(uid ? ranking.uidAt(position) : seq);
        }
    }
}
