package org.roost.imap.sort;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;
import org.roost.fts.FullTextSearch;
import org.roost.imap.command.Capability;
import org.roost.imap.protocol.Sort;
import org.roost.imap.protocol.SortCriterion;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.SearchResponse;
import org.roost.index.Fact;
import org.roost.index.MailboxView;
import org.roost.mail.sort.IntSort;
import org.roost.mail.sort.SortField;
import org.roost.net.Cancellation;

/**
 * SORT and UID SORT (RFC 5256 §3; DISPLAYFROM and DISPLAYTO of RFC 5957): the messages SEARCH
 * would find, ordered by each criterion in turn, then by sequence number. Header criteria compare
 * the ranks the index keeps ({@link MailboxView#sortRanking}), ARRIVAL and SIZE the index columns.
 */
public final class SortCommand extends SearchResultCommand<Sort> {
    /** Index columns cost nanoseconds a message: the cancellation is checked every 64. */
    private static final int CHECK_MASK = 63;

    /** {@code fullText}: what the search step asks, as SEARCH does. */
    public SortCommand(FullTextSearch fullText) {
        super(Map.of("SORT", Sort.SORT, "UID SORT", Sort.UID_SORT),
                List.of(Capability.afterLogin("SORT"), Capability.afterLogin("SORT=DISPLAY")), fullText);
    }

    @Override
    void answer(Sort command, MailboxView view, int[] found, Cancellation cancellation, ResponseBuffer out)
            throws IOException {
        var columns = new long[command.criteria().size()][];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = column(view, found, command.criteria().get(c), cancellation);
        }
        var order = IntSort.identity(found.length);
        // Stable over positions in sequence order: equal messages stay in mailbox order (§3).
        IntSort.sort(order, (a, b) -> compare(columns, command.criteria(), a, b));
        var sorted = new int[found.length];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = found[order[i]];
        }
        SearchResponse.writeSort(out, sorted, command.uid() ? view::uid : seq -> seq);
    }

    private static int compare(long[][] columns, List<SortCriterion> criteria, int a, int b) {
        for (int c = 0; c < columns.length; c++) {
            int result = Long.compare(columns[c][a], columns[c][b]);
            if (result != 0) {
                return criteria.get(c).reverse() ? -result : result; // REVERSE reverses only its own criterion
            }
        }
        return 0;
    }

    /** The value of one criterion for each message found, in the order found. */
    private static long[] column(MailboxView view, int[] found, SortCriterion criterion, Cancellation cancellation)
            throws IOException {
        var values = new long[found.length];
        switch (criterion.key()) {
            case ARRIVAL -> fill(values, found, view::internalDateSeconds, cancellation);
            case SIZE -> {
                view.learn(found, Set.of(Fact.VIRTUAL_SIZE), cancellation);
                fill(values, found, view::virtualSize, cancellation);
            }
            default -> {
                if (criterion.key() == SortCriterion.Key.DATE) {
                    // the ranking is kept for every message, so each one's fallback date must be known
                    view.learnAll(Set.of(Fact.FILE_STATUS), cancellation);
                }
                var ranking = view.sortRanking(field(criterion.key()), cancellation);
                fill(values, found, seq -> ranking.rank(view.uid(seq)), cancellation);
            }
        }
        return values;
    }

    private static void fill(long[] values, int[] found, IntToLongFunction value,
            Cancellation cancellation) {
        for (int i = 0; i < found.length; i++) {
            if ((i & CHECK_MASK) == 0) {
                cancellation.check();
            }
            values[i] = value.applyAsLong(found[i]);
        }
    }

    private static SortField field(SortCriterion.Key key) {
        return switch (key) {
            case DATE -> SortField.DATE;
            case SUBJECT -> SortField.SUBJECT;
            case FROM -> SortField.FROM;
            case TO -> SortField.TO;
            case CC -> SortField.CC;
            case DISPLAYFROM -> SortField.DISPLAYFROM;
            case DISPLAYTO -> SortField.DISPLAYTO;
            case ARRIVAL, SIZE -> throw new IllegalArgumentException(key + " comes from the index columns");
        };
    }
}
