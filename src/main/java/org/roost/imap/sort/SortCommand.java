package org.roost.imap.sort;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntToLongFunction;
import org.roost.fts.FullTextSearch;
import org.roost.imap.command.Capability;
import org.roost.imap.command.CommandContext;
import org.roost.imap.protocol.Search;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.protocol.Sort;
import org.roost.imap.protocol.SortCriterion;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.SearchResponse;
import org.roost.imap.search.SearchCommand;
import org.roost.imap.search.SearchContexts;
import org.roost.index.Fact;
import org.roost.index.MailboxView;
import org.roost.mail.UidSet;
import org.roost.mail.sort.IntSort;
import org.roost.mail.sort.SortField;
import org.roost.net.Cancellation;

/**
 * SORT and UID SORT (RFC 5256 §3; DISPLAYFROM and DISPLAYTO of RFC 5957; RELEVANCY of RFC 6203 §6, the
 * FUZZY keys' scores, highest first): the messages SEARCH
 * would find, ordered by each criterion in turn, then by sequence number; with RETURN, an ESEARCH
 * answer (ESORT, RFC 5267 §3), RFC 5182's SAVE, and CONTEXT=SORT's PARTIAL and UPDATE (RFC 5267 §4.3,
 * §4.4: the result kept in its order by {@link SearchContexts}). Header criteria compare
 * the ranks the index keeps ({@link MailboxView#sortRanking}), ARRIVAL and SIZE the index columns; a plain
 * SORT by one header field (once ranked) or by ARRIVAL is written straight from the ranking's kept order ({@link KeptOrder}).
 */
public final class SortCommand extends SearchResultCommand<Sort> {
    /** Index columns cost nanoseconds a message: the cancellation is checked every 64. */
    private static final int CHECK_MASK = 63;

    /** How many searches and sorts one session may have kept up to date at once (RFC 5267 §4.3.1). */
    private final int maxContexts;

    /** {@code fullText}: what the search step asks, as SEARCH does; {@code maxContexts} as SEARCH's. */
    public SortCommand(int maxContexts, FullTextSearch fullText) {
        super(Map.of("SORT", Sort.SORT, "UID SORT", Sort.UID_SORT),
                List.of(Capability.afterLogin("SORT"), Capability.afterLogin("SORT=DISPLAY"),
                        Capability.afterLogin("ESORT"), Capability.afterLogin("CONTEXT=SORT")), fullText);
        this.maxContexts = maxContexts;
    }

    @Override
    Optional<Reply> refusal(Sort command, CommandContext context) {
        if (updates(command) && SearchContexts.inUse(context.selected(), command.tag())) {
            return Optional.of(Reply.bad("Tag reuse: " + command.tag() + " is kept up to date already.")); // §4.3
        }
        return Optional.empty();
    }

    @Override
    boolean saves(Sort command) {
        return command.returns() != null && command.returns().contains(Search.ReturnOption.SAVE);
    }

    @Override
    boolean answeredUnsearched(Sort command, CommandContext context, ResponseBuffer out) throws IOException {
        if (!(command.key() instanceof SearchKey.All)) {
            return false;
        }
        var ranking = KeptOrder.ranking(command, context.selected().view(), context.cancellation());
        if (ranking != null) {
            KeptOrder.write(command, ranking, seq -> true, out, context.cancellation());
        }
        return ranking != null;
    }

    @Override
    void answer(Sort command, CommandContext context, SearchCommand.Found result, ResponseBuffer out)
            throws IOException {
        int[] found = result.seqs();
        var view = context.selected().view();
        var ranking = KeptOrder.ranking(command, view, context.cancellation());
        if (ranking != null) {
            var members = new BitSet(view.count() + 1);
            Arrays.stream(found).forEach(members::set);
            KeptOrder.write(command, ranking, members::get, out, context.cancellation());
            return;
        }
        int[] order = order(command, view, result, context.cancellation());
        int[] sorted = Arrays.stream(order).map(i -> found[i]).toArray();
        if (command.returns() == null) {
            SearchResponse.writeSort(out, sorted, command.uid() ? view::uid : seq -> seq);
            return;
        }
        var part = command.partial() == null ? null : command.partial().of(sorted); // in sort order (§4.4)
        if (saves(command)) {
            // MIN and MAX are the first and last in sort order (RFC 5267 §3.1), so is what $ keeps of them
            context.selected().saveSearch(SearchCommand.saved(view, sorted, part, command.returns()));
        }
        if (!command.returns().equals(EnumSet.of(Search.ReturnOption.SAVE))) { // SAVE alone: no ESEARCH
            IntToLongFunction shown = seq -> command.uid() ? view.uid(seq) : seq;
            SearchResponse.esearch(out, command.tag(), command.uid(), command.returns(),
                    Arrays.stream(sorted).mapToLong(shown).toArray(), 0,
                    part == null ? null : command.partial().wire(),
                    part == null ? null : Arrays.stream(part).mapToLong(shown).toArray(),
                    command.returns().contains(Search.ReturnOption.RELEVANCY) // RFC 6203 §6, in sort order
                            ? Arrays.stream(order).map(i -> result.relevancies()[i]).toArray() : null);
        }
        if (updates(command)) {
            SearchContexts.Order kept = (changed, seqs) -> {
                changed.learn(seqs, Set.of(Fact.FILE_STATUS), Cancellation.never());
                var members = new SearchCommand.Found(seqs, relevancies(command, changed, seqs));
                return Arrays.stream(order(command, changed, members, Cancellation.never())).map(i -> seqs[i]).toArray();
            };
            SearchContexts.keep(context.selected(), fullText().attachments(), maxContexts, new SearchContexts.Request(
                    command.tag(), command.uid(), command.key(), command.updateItems(), kept), sorted, out);
        }
    }

    /**
     * The relevancies of the messages {@code seqs} (ascending) of a kept SORT that orders by RELEVANCY: the
     * search asked again, as the scores are not kept; none asked for other orders.
     */
    private int[] relevancies(Sort command, MailboxView view, int[] seqs) throws IOException {
        if (command.criteria().stream().noneMatch(c -> c.key() == SortCriterion.Key.RELEVANCY)) {
            return new int[seqs.length];
        }
        var again = SearchCommand.found(view, command.key(), UidSet.empty(), Cancellation.never(), fullText());
        var out = new int[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            int at = Arrays.binarySearch(again.seqs(), seqs[i]);
            out[i] = at < 0 ? 100 : again.relevancies()[at]; // one that stopped matching meanwhile: leaves next
        }
        return out;
    }

    private static boolean updates(Sort command) {
        return command.returns() != null && command.returns().contains(Search.ReturnOption.UPDATE);
    }

    /** The positions in {@code found} of its messages, in the order of the command's criteria. */
    private static int[] order(Sort command, MailboxView view, SearchCommand.Found found, Cancellation cancellation)
            throws IOException {
        var criteria = command.criteria();
        var kept = KeptOrder.ranking(criteria.getFirst(), view, cancellation);
        if (kept != null) { // the first criterion's kept order, its runs of equal ranks sorted by the others
            var others = criteria.subList(1, criteria.size());
            var columns = new long[others.size()][];
            for (int c = 0; c < columns.length; c++) {
                columns[c] = column(view, found, others.get(c), cancellation);
            }
            return KeptOrder.sorted(kept, criteria.getFirst().reverse(), found.seqs(),
                    others.isEmpty() ? null : (a, b) -> compare(columns, others, a, b), cancellation);
        }
        var columns = new long[criteria.size()][];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = column(view, found, criteria.get(c), cancellation);
        }
        if (columns.length == 1) {
            return IntSort.byValue(columns[0], criteria.getFirst().reverse()); // stable: ties in mailbox order
        }
        int[] order = IntSort.identity(found.seqs().length);
        // Stable over positions in sequence order: equal messages stay in mailbox order (§3).
        IntSort.sort(order, (a, b) -> compare(columns, criteria, a, b));
        return order;
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
    private static long[] column(MailboxView view, SearchCommand.Found result, SortCriterion criterion,
            Cancellation cancellation) throws IOException {
        int[] found = result.seqs();
        var values = new long[found.length];
        switch (criterion.key()) {
            // RFC 6203 §6: the highest score first
            case RELEVANCY -> Arrays.setAll(values, i -> -(long) result.relevancies()[i]);
            case ARRIVAL -> fill(values, found, view::internalDateSeconds, cancellation);
            case SIZE -> {
                view.learn(found, Set.of(Fact.VIRTUAL_SIZE), cancellation);
                fill(values, found, view::virtualSize, cancellation);
            }
            default -> {
                // the rankings are made of every message: each one's fallback date must be known, and its file stated
                view.learnAll(Set.of(Fact.FILE_STATUS), cancellation);
                var ranking = view.sortRanking(field(criterion.key()), cancellation);
                var uids = new long[found.length];
                fill(uids, found, view::uid, cancellation);
                ranking.ranks(uids, values);
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

    static SortField field(SortCriterion.Key key) {
        return switch (key) {
            case DATE -> SortField.DATE;
            case SUBJECT -> SortField.SUBJECT;
            case FROM -> SortField.FROM;
            case TO -> SortField.TO;
            case CC -> SortField.CC;
            case DISPLAYFROM -> SortField.DISPLAYFROM;
            case DISPLAYTO -> SortField.DISPLAYTO;
            case ARRIVAL, SIZE -> throw new IllegalArgumentException(key + " comes from the index columns");
            case RELEVANCY -> throw new IllegalArgumentException(key + " comes from the search");
        };
    }
}
