package org.roost.imap.sort;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.roost.imap.protocol.Sort;
import org.roost.imap.protocol.SortCriterion;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.SearchResponse;
import org.roost.index.MailboxView;
import org.roost.index.SortRanking;
import org.roost.mail.sort.IntSort;
import org.roost.mail.sort.PackedLongs;
import org.roost.net.Cancellation;

/**
 * A plain SORT by one header field or by ARRIVAL answered straight from the kept ranking's order: the numbers are
 * formatted into the response buffer as the order is walked, with no sort and no array or object per
 * message (what a webmail asks at every look at a folder of a million messages). A SORT with more
 * criteria, or with RETURN, gets {@link #sorted} of the first criterion's order: a walk, and a sort of
 * each run of equal ranks by the other criteria. Serves only while the ranking holds exactly the view's
 * messages, so that position i is sequence number i + 1.
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
    private int runsWalked;

    private KeptOrder(SortRanking ranking, IntPredicate found, boolean uid, ResponseBuffer out,
            Cancellation cancellation) {
        this.ranking = ranking;
        this.found = found;
        this.uid = uid;
        this.out = out;
        this.cancellation = cancellation;
    }

    private KeptOrder(SortRanking ranking, Cancellation cancellation) {
        this(ranking, seq -> false, false, null, cancellation);
    }

    /** What is done with each run of equal ranks: places {@code start} to {@code end} of {@code order}. */
    @FunctionalInterface
    private interface Run {
        void visit(PackedLongs order, int start, int end) throws IOException;
    }

    /** Every run of equal ranks, from the lowest rank up (from the highest down when {@code reverse}), each forwards. */
    private void runs(boolean reverse, Run run) throws IOException {
        var order = ranking.order();
        if (reverse) {
            for (int end = order.size(); end > 0; ) {
                int start = runStart(order, end - 1);
                visit(run, order, start, end);
                end = start;
            }
        } else {
            for (int start = 0; start < order.size(); ) {
                int end = runEnd(order, start);
                visit(run, order, start, end);
                start = end;
            }
        }
    }

    private void visit(Run run, PackedLongs order, int start, int end) throws IOException {
        runsWalked += end - start;
        if (runsWalked > CHECK_MASK) {
            runsWalked = 0;
            cancellation.check();
        }
        run.visit(order, start, end);
    }

    /** One past the last place in {@code order} of the run of equal ranks that begins at {@code first}. */
    private int runEnd(PackedLongs order, int first) {
        long rank = ranking.rankAt(order.getInt(first));
        int end = first + 1;
        while (end < order.size() && ranking.rankAt(order.getInt(end)) == rank) {
            end++;
        }
        return end;
    }

    /** The kept ranking that can answer {@code command} over {@code view}, or null when the general path must. */
    static SortRanking ranking(Sort command, MailboxView view, Cancellation cancellation) throws IOException {
        if (command.returns() != null || command.criteria().size() != 1) {
            return null;
        }
        return ranking(command.criteria().getFirst(), view, cancellation);
    }

    /** The kept ranking by {@code criterion} that holds exactly {@code view}'s messages, or null. */
    static SortRanking ranking(SortCriterion criterion, MailboxView view, Cancellation cancellation)
            throws IOException {
        var ranking = switch (criterion.key()) {
            case SIZE, RELEVANCY -> null;
            case ARRIVAL -> view.arrivalRanking(cancellation);
            case SortCriterion.Key key -> view.keptSortRanking(SortCommand.field(key));
        };
        return ranking != null && ranking.holdsExactly(view) ? ranking : null;
    }

    /**
     * The positions in {@code found} (ascending sequence numbers of a view of {@code ranking}'s messages)
     * of its messages in {@code ranking}'s order, REVERSE reversing only the ranks; each run of equal
     * ranks put in order by {@code ties} (over positions in {@code found}; null: left in sequence order).
     * A walk along the kept order and a sort of each run, not of everything found: what a SORT with more
     * criteria or with RETURN (ESORT) gets of the kept order.
     */
    static int[] sorted(SortRanking ranking, boolean reverse, int[] found, IntSort.Comparator ties,
            Cancellation cancellation) throws IOException {
        var positionOf = new int[ranking.size() + 1];
        Arrays.fill(positionOf, -1);
        for (int i = 0; i < found.length; i++) {
            positionOf[found[i]] = i;
        }
        var sorted = new int[found.length];
        var filled = new int[1];
        var walk = new KeptOrder(ranking, cancellation);
        walk.runs(reverse, (order, start, end) -> {
            int from = filled[0];
            for (int k = start; k < end; k++) {
                int position = positionOf[order.getInt(k) + 1];
                if (position >= 0) {
                    sorted[filled[0]++] = position;
                }
            }
            if (ties != null && filled[0] - from > 1) {
                var run = Arrays.copyOfRange(sorted, from, filled[0]);
                IntSort.sort(run, ties);
                System.arraycopy(run, 0, sorted, from, run.length);
            }
        });
        return sorted;
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
        runs(true, (order, start, end) -> {
            for (int k = start; k < end; k++) {
                emit(order.getInt(k));
            }
        });
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
