package org.roost.imap.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roost.imap.command.ResultUpdates;
import org.roost.imap.command.SelectedMailbox;
import org.roost.imap.fetch.FetchCommand;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.index.MailboxView;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.UidSet;
import org.roost.mail.mime.SearchText;
import org.roost.net.Cancellation;

/**
 * The searches of one selected mailbox kept up to date (CONTEXT=SEARCH's UPDATE, RFC 5267 §4.3): each
 * context's result as UIDs (ranges), changed by what the mailbox reports: an expunged result leaves with
 * REMOVEFROM, a new or changed message that now matches joins with ADDTO (and the FETCH its UPDATE asked
 * for, RFC 5465 §7), a changed one that no longer matches leaves. Only the messages that changed are
 * evaluated, never the whole mailbox again. Positions are 0: results are kept in mailbox order (§4.3.3).
 */
final class SearchContexts implements ResultUpdates {
    private final SelectedMailbox selected;
    private final SearchText.AttachmentReader attachments;
    private final Map<String, Context> contexts = new LinkedHashMap<>();

    private static final class Context {
        final String tag;
        final boolean uid;
        final SearchKey key;
        final List<FetchItem> items;
        UidSet results;

        Context(String tag, boolean uid, SearchKey key, List<FetchItem> items, UidSet results) {
            this.tag = tag;
            this.uid = uid;
            this.key = key;
            this.items = items;
            this.results = results;
        }
    }

    /** {@code attachments}: how SEARCH reads attachments, so an update matches what the search matched. */
    SearchContexts(SelectedMailbox selected, SearchText.AttachmentReader attachments) {
        this.selected = selected;
        this.attachments = attachments;
    }

    boolean has(String tag) {
        return contexts.containsKey(tag);
    }

    int size() {
        return contexts.size();
    }

    /** Keeps the search {@code tag} ({@code found}: its result now, sequence numbers) up to date. */
    void add(String tag, boolean uid, SearchKey key, List<FetchItem> items, int[] found) {
        var view = selected.view();
        contexts.put(tag, new Context(tag, uid, key, items,
                UidSet.of(Arrays.stream(found).mapToLong(view::uid).toArray())));
    }

    /** CANCELUPDATE (§4.3.5): no more updates of these. */
    void cancel(List<String> tags) {
        tags.forEach(contexts::remove);
    }

    @Override
    public void expunging(ImapWriter writer, int[] seqs, long[] uids) throws IOException {
        if (uids.length == 0) {
            return;
        }
        for (var context : contexts.values()) {
            var gone = new ArrayList<long[]>();
            for (int i = 0; i < uids.length; i++) {
                if (context.results.contains(uids[i])) {
                    gone.add(new long[] {seqs[i], uids[i]});
                }
            }
            if (!gone.isEmpty()) {
                long[] goneUids = gone.stream().mapToLong(g -> g[1]).toArray();
                context.results = without(context.results, goneUids);
                write(writer, context, "REMOVEFROM", gone.stream().mapToLong(g -> g[context.uid ? 1 : 0]).toArray());
            }
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
            var added = new ArrayList<Integer>();
            var removed = new ArrayList<Integer>();
            var evaluator = new SearchEvaluator(view, selected.savedSearch(), TextCandidates.NONE, attachments);
            view.learn(fresh, SearchCommand.needed(context.key), Cancellation.never());
            view.learn(flagChanged, SearchCommand.needed(context.key), Cancellation.never());
            for (int seq : fresh) {
                if (matches(evaluator, context.key, seq)) {
                    added.add(seq);
                }
            }
            for (int seq : flagChanged) {
                boolean was = context.results.contains(view.uid(seq));
                boolean is = matches(evaluator, context.key, seq);
                if (is && !was) {
                    added.add(seq);
                } else if (was && !is) {
                    removed.add(seq);
                }
            }
            if (!removed.isEmpty()) {
                long[] uids = removed.stream().mapToLong(view::uid).sorted().toArray();
                context.results = without(context.results, uids);
                write(writer, context, "REMOVEFROM", shown(context, removed, view));
            }
            if (!added.isEmpty()) {
                context.results = context.results.union(UidSet.of(added.stream().mapToLong(view::uid).toArray()));
                int[] newOnes = added.stream().mapToInt(Integer::intValue).filter(s -> s >= news.first()).sorted().toArray();
                if (!context.items.isEmpty() && newOnes.length > 0) {
                    FetchCommand.unsolicited(selected, newOnes, context.items, writer); // RFC 5465 §7
                }
                write(writer, context, "ADDTO", shown(context, added, view));
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

    /** UIDs or sequence numbers, as the context's command named messages. */
    private static long[] shown(Context context, List<Integer> seqs, MailboxView view) {
        return seqs.stream().mapToLong(seq -> context.uid ? view.uid(seq) : seq).sorted().toArray();
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

    /** {@code * ESEARCH (TAG "t") [UID] ADDTO (0 set)} or REMOVEFROM (§4.3.3, §4.3.4). */
    private static void write(ImapWriter writer, Context context, String item, long[] numbers) throws IOException {
        Arrays.sort(numbers);
        writer.untagged("ESEARCH (TAG \"" + context.tag + "\")" + (context.uid ? " UID " : " ") + item + " (0 "
                + UidSet.of(numbers) + ")");
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
