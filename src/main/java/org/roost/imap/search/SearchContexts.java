package org.roost.imap.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.roost.imap.command.ResultUpdates;
import org.roost.imap.command.SelectedMailbox;
import org.roost.imap.fetch.FetchCommand;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.protocol.response.ImapStrings;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.SearchResponse;
import org.roost.index.MailboxView;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.UidSet;
import org.roost.mail.mime.SearchText;
import org.roost.net.Cancellation;

/**
 * The searches and sorts of one selected mailbox kept up to date (CONTEXT=SEARCH's and CONTEXT=SORT's
 * UPDATE, RFC 5267 §4.3): each context's result as UIDs (ranges), changed by what the mailbox reports: an
 * expunged result leaves with REMOVEFROM, a new or changed message that now matches joins with ADDTO (and
 * the FETCH its UPDATE asked for, RFC 5465 §7), a changed one that no longer matches leaves. Only the
 * messages that changed are evaluated, never the whole mailbox again. A SEARCH's result is in mailbox
 * order, so its positions are 0 (§4.3.3); a SORT's is kept in its order as well, and its updates carry the
 * positions that keep the client's list in that order (§4.3.2).
 */
public final class SearchContexts implements ResultUpdates {
    private final SelectedMailbox selected;
    private final SearchText.AttachmentReader attachments;
    private final Map<String, Context> contexts = new LinkedHashMap<>();

    /** How a kept SORT orders messages: {@code seqs} (ascending) in the command's order. */
    @FunctionalInterface
    public interface Order {
        int[] sorted(MailboxView view, int[] seqs) throws IOException;
    }

    /**
     * What a searching command asked to keep up to date: {@code items} what to fetch of messages it gains
     * (RFC 5465 §7), {@code order} a SORT's order, null for a SEARCH (mailbox order).
     */
    public record Request(String tag, boolean uid, SearchKey key, List<FetchItem> items, Order order) {}

    private static final class Context {
        final Request request;
        UidSet results;
        /** A SORT's results as UIDs in its order; null for a SEARCH. */
        long[] sorted;

        Context(Request request, UidSet results, long[] sorted) {
            this.request = request;
            this.results = results;
            this.sorted = sorted;
        }
    }

    /** A place in a SORT's result and the numbers {@code from} (inclusive) to {@code to} of a list. */
    private record Run(int position, int from, int to) {}

    private SearchContexts(SelectedMailbox selected, SearchText.AttachmentReader attachments) {
        this.selected = selected;
        this.attachments = attachments;
    }

    /** Whether {@code tag} names a context of {@code selected} kept up to date (a BAD tag reuse, §4.3). */
    public static boolean inUse(SelectedMailbox selected, String tag) {
        return selected.resultUpdates() instanceof SearchContexts contexts && contexts.contexts.containsKey(tag);
    }

    /**
     * UPDATE (RFC 5267 §4.3): the result {@code found} (sequence numbers, in the command's order) is kept up
     * to date from now on, or refused with an untagged {@code NO [NOUPDATE "tag"]} (§4.3.1) when the session
     * has {@code maxContexts} already, or when the command names messages by sequence number or by {@code $}.
     * {@code attachments}: how SEARCH reads attachments, so an update matches what the command matched.
     */
    public static void keep(SelectedMailbox selected, SearchText.AttachmentReader attachments, int maxContexts,
            Request request, int[] found, ResponseBuffer out) throws IOException {
        var contexts = selected.resultUpdates() instanceof SearchContexts kept ? kept
                : new SearchContexts(selected, attachments);
        selected.resultUpdates(contexts);
        if (contexts.contexts.size() >= maxContexts || !updatable(request.key())) {
            out.ascii("* NO [NOUPDATE ").ascii(ImapStrings.quoted(request.tag())).ascii("] ")
                    .ascii(contexts.contexts.size() >= maxContexts ? "Too many contexts." : "Search by sequence numbers or $.");
            out.endLine();
            return;
        }
        var view = selected.view();
        long[] uids = Arrays.stream(found).mapToLong(view::uid).toArray();
        contexts.contexts.put(request.tag(), new Context(request, UidSet.of(uids),
                request.order() == null ? null : uids));
    }

    /** CANCELUPDATE (§4.3.5): no more updates of these. */
    void cancel(List<String> tags) {
        tags.forEach(contexts::remove);
    }

    @Override
    public void expunging(ImapWriter writer, int[] seqs, long[] uids) throws IOException {
        if (uids.length == 0 || contexts.isEmpty()) {
            return;
        }
        // given descending: reversed, the UIDs can be looked up for their sequence numbers
        long[] ascendingUids = new long[uids.length];
        int[] ascendingSeqs = new int[seqs.length];
        for (int i = 0; i < uids.length; i++) {
            ascendingUids[i] = uids[uids.length - 1 - i];
            ascendingSeqs[i] = seqs[seqs.length - 1 - i];
        }
        LongUnaryOperator seqOf = uid -> ascendingSeqs[Arrays.binarySearch(ascendingUids, uid)];
        for (var context : contexts.values()) {
            long[] gone = Arrays.stream(ascendingUids).filter(context.results::contains).toArray();
            remove(writer, context, gone, seqOf);
        }
    }

    @Override
    public void changed(ImapWriter writer, SelectedMailbox.NewMessages news, int[] flagChanged) throws IOException {
        if (contexts.isEmpty() || news.first() > news.last() && flagChanged.length == 0) {
            return;
        }
        var view = selected.view();
        int[] fresh = news.first() > news.last() ? new int[0] : news.sequences();
        for (var context : contexts.values()) {
            var key = context.request.key();
            var added = new ArrayList<Integer>();
            var removed = new ArrayList<Integer>();
            var evaluator = new SearchEvaluator(view, selected.savedSearch(), TextCandidates.NONE, attachments);
            view.learn(fresh, SearchCommand.needed(key), Cancellation.never());
            view.learn(flagChanged, SearchCommand.needed(key), Cancellation.never());
            for (int seq : fresh) {
                if (matches(evaluator, key, seq)) {
                    added.add(seq);
                }
            }
            for (int seq : flagChanged) {
                boolean was = context.results.contains(view.uid(seq));
                boolean is = matches(evaluator, key, seq);
                if (is && !was) {
                    added.add(seq);
                } else if (was && !is) {
                    removed.add(seq);
                }
            }
            remove(writer, context, removed.stream().mapToLong(view::uid).sorted().toArray(),
                    uid -> view.sequenceOf(uid));
            if (!added.isEmpty()) {
                int[] newOnes = added.stream().mapToInt(Integer::intValue).filter(s -> s >= news.first()).sorted().toArray();
                if (!context.request.items().isEmpty() && newOnes.length > 0) {
                    FetchCommand.unsolicited(selected, newOnes, context.request.items(), writer); // RFC 5465 §7
                }
                add(writer, context, added.stream().mapToInt(Integer::intValue).sorted().distinct().toArray());
            }
        }
    }

    private static boolean matches(SearchEvaluator evaluator, SearchKey key, int seq) throws IOException {
        try {
            return evaluator.matches(key, seq);
        } catch (MessageNotFoundException gone) {
            return false;
        }
    }

    /**
     * The results {@code gone} (UIDs, ascending) leave {@code context} with a REMOVEFROM (§4.3.4): at
     * position 0 for a SEARCH, at each run's place in a SORT's order ({@code seqOf}: their sequence numbers).
     */
    private static void remove(ImapWriter writer, Context context, long[] gone, LongUnaryOperator seqOf)
            throws IOException {
        if (gone.length == 0) {
            return;
        }
        context.results = without(context.results, gone);
        if (context.sorted == null) {
            write(writer, context, "REMOVEFROM", List.of(new Run(0, 0, gone.length - 1)),
                    Arrays.stream(gone).map(uid -> shown(context, uid, seqOf)).sorted().toArray());
            return;
        }
        var goneSet = UidSet.of(gone);
        long[] kept = new long[context.sorted.length - gone.length];
        long[] shown = new long[gone.length];
        var runs = new ArrayList<Run>();
        int k = 0;
        int n = 0;
        boolean previousGone = false;
        for (long uid : context.sorted) {
            boolean goes = goneSet.contains(uid);
            if (!goes) {
                kept[k++] = uid;
            } else if (previousGone) {
                runs.set(runs.size() - 1, new Run(runs.getLast().position(), runs.getLast().from(), n));
            } else {
                runs.add(new Run(k + 1, n, n)); // the run's first is at k+1 once those before it are gone
            }
            if (goes) {
                shown[n++] = shown(context, uid, seqOf);
            }
            previousGone = goes;
        }
        context.sorted = kept;
        write(writer, context, "REMOVEFROM", runs, shown);
    }

    /**
     * The messages {@code seqs} (ascending) join {@code context} with an ADDTO (§4.3.3): at position 0 for a
     * SEARCH; for a SORT, its results are sorted again with them, and each run of new ones is inserted at
     * its place, in ascending places so that every earlier insertion already stands.
     */
    private void add(ImapWriter writer, Context context, int[] seqs) throws IOException {
        var view = selected.view();
        long[] uids = Arrays.stream(seqs).mapToLong(view::uid).toArray();
        context.results = context.results.union(UidSet.of(uids));
        LongUnaryOperator seqOf = uid -> view.sequenceOf(uid);
        if (context.sorted == null) {
            write(writer, context, "ADDTO", List.of(new Run(0, 0, uids.length - 1)),
                    Arrays.stream(uids).map(uid -> shown(context, uid, seqOf)).sorted().toArray());
            return;
        }
        int[] members = new int[context.sorted.length + seqs.length];
        for (int i = 0; i < context.sorted.length; i++) {
            members[i] = view.sequenceOf(context.sorted[i]);
        }
        System.arraycopy(seqs, 0, members, context.sorted.length, seqs.length);
        Arrays.sort(members);
        // the keys of a message never change, so the earlier results keep their order among themselves
        long[] now = Arrays.stream(context.request.order().sorted(view, members)).mapToLong(view::uid).toArray();
        long[] shown = new long[seqs.length];
        var runs = new ArrayList<Run>();
        int old = 0;
        int n = 0;
        int previous = -2; // where in the new order the last new one stands
        for (int i = 0; i < now.length; i++) {
            if (old < context.sorted.length && now[i] == context.sorted[old]) {
                old++;
                continue;
            }
            if (previous == i - 1) {
                runs.set(runs.size() - 1, new Run(runs.getLast().position(), runs.getLast().from(), n));
            } else {
                runs.add(new Run(i + 1, n, n));
            }
            previous = i;
            shown[n++] = shown(context, now[i], seqOf);
        }
        context.sorted = now;
        write(writer, context, "ADDTO", runs, shown);
    }

    /** A UID as the context's command named messages: itself, or its sequence number. */
    private static long shown(Context context, long uid, LongUnaryOperator seqOf) {
        return context.request.uid() ? uid : seqOf.applyAsLong(uid);
    }

    private static UidSet without(UidSet set, long[] sortedUids) {
        return set.without(new UidSet.SortedUids() {
            @Override
            public int count() {
                return sortedUids.length;
            }

            @Override
            public long uid(int index) {
                return sortedUids[index];
            }
        });
    }

    /**
     * {@code * ESEARCH (TAG "t") [UID] ADDTO (position set ...)} or REMOVEFROM (§4.3.3, §4.3.4): each run's
     * numbers of {@code shown}, in their order.
     */
    private static void write(ImapWriter writer, Context context, String item, List<Run> runs, long[] shown)
            throws IOException {
        var out = new ResponseBuffer(writer.stream());
        out.ascii("* ESEARCH (TAG \"").ascii(context.request.tag()).ascii("\")")
                .ascii(context.request.uid() ? " UID " : " ").ascii(item).ascii(" (");
        for (var run : runs) {
            if (run != runs.getFirst()) {
                out.write(' ');
            }
            out.number(run.position());
            out.write(' ');
            SearchResponse.set(out, Arrays.copyOfRange(shown, run.from(), run.to() + 1));
        }
        out.write(')');
        out.endLine().drain();
    }

    /**
     * Whether {@code key} can be kept up to date: not when it names messages by sequence number, which
     * count as they were when the command came (§4.3), nor by {@code $}, which a later SEARCH may change.
     */
    static boolean updatable(SearchKey key) {
        return !key.any(k -> k instanceof SearchKey.Sequence
                || k instanceof SearchKey.Uid u && u.set().isSaved());
    }
}
