package org.roost.imap.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;
import org.roost.fts.FullTextSearch;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.Capability;
import org.roost.imap.command.CommandExecutor;
import org.roost.imap.command.Extension;
import org.roost.imap.command.SessionState;
import org.roost.imap.protocol.Search;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.SearchResponse;
import org.roost.index.Fact;
import org.roost.index.MailboxView;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.UidSet;
import org.roost.mail.mime.SearchText;
import org.roost.net.Cancellation;

/**
 * SEARCH and UID SEARCH (RFC 3501 §6.4.4, §7.2.5), with ESEARCH's result options (RFC 4731) and PARTIAL's
 * (RFC 9394), SEARCHRES's SAVE and {@code $} (RFC 5182), WITHIN's
 * OLDER and YOUNGER (RFC 5032) and CONDSTORE's MODSEQ key (RFC 7162 §3.1.5). Once IMAP4rev2 is enabled,
 * every answer is an ESEARCH (RFC 9051 §6.4.4, Appendix E item 4).
 */
public final class SearchCommand extends CommandExecutor<Search> {
    private static final Set<String> CHARSETS = Set.of("US-ASCII", "UTF-8");
    /**
     * A key the index answers costs a few nanoseconds a message, less than a cancellation check:
     * it is checked every 64 messages (UID SEARCH LARGER over 300,000 messages took 0.8 ms
     * without checks, 1.3 ms with one per message). Other keys read messages: checked at each.
     */
    private static final int INDEX_ONLY_CHECK_MASK = 63;

    /** How many searches one session may have kept up to date at once (RFC 5267 §4.3.1). */
    private final int maxContexts;
    private final FullTextSearch fullText;

    /** {@code fullText}: the index asked which messages a text key may match. */
    public SearchCommand(int maxContexts, FullTextSearch fullText) {
        super(SessionState.SELECTED_ONLY, Map.of("SEARCH", Search.SEARCH, "UID SEARCH", Search.UID_SEARCH),
                List.of(Capability.afterLogin("ESEARCH"), Capability.afterLogin("SEARCHRES"),
                        Capability.afterLogin("WITHIN")));
        this.maxContexts = maxContexts;
        this.fullText = fullText;
    }

    @Override
    public boolean expungesAllowedAfter(Search command) {
        return command.uid();
    }

    @Override
    public Reply execute(Search asked, CommandContext context) throws IOException {
        var command = asked.returns() == null && context.facts().has(Extension.IMAP4REV2) ? asked.returningAll() : asked;
        var selected = context.selected();
        boolean save = command.returns() != null && command.returns().contains(Search.ReturnOption.SAVE);
        if (!knowsCharset(command.charset())) {
            if (save) {
                selected.saveSearch(UidSet.empty()); // RFC 5182 §2.1: a SAVE answered NO empties $
            }
            return badCharset();
        }
        boolean update = command.returns() != null && command.returns().contains(Search.ReturnOption.UPDATE);
        if (update && SearchContexts.inUse(selected, command.tag())) {
            return Reply.bad("Tag reuse: " + command.tag() + " is kept up to date already."); // RFC 5267 §4.3
        }
        var view = selected.view();
        if (!context.facts().keepsGuids()
                && command.key().any(k -> k instanceof SearchKey.EmailId || k instanceof SearchKey.ThreadId)) {
            return Reply.bad("This mail keeps no message ids (no OBJECTID).");
        }
        boolean modseqKey = command.key().any(k -> k instanceof SearchKey.Modseq);
        if (modseqKey) {
            if (!selected.modseqs()) {
                return Reply.bad("The mailbox keeps no MODSEQs (NOMODSEQ)."); // RFC 7162 §3.1.2.2
            }
            context.session().enable(Extension.CONDSTORE);
        }
        var previous = selected.savedSearch(); // what $ in this search names
        if (save) {
            selected.saveSearch(UidSet.empty()); // stays so should the search fail (§2.1)
        }
        var result = found(view, command.key(), previous, context.cancellation(), fullText);
        var found = result.seqs();
        // Written only once the search is through: a storage failure halfway answers NO without a half line.
        var out = new ResponseBuffer(context.writer().stream());
        if (command.returns() == null) {
            // RFC 7162 §3.1.6: with a MODSEQ key, the highest MODSEQ of the messages found
            long highest = modseqKey ? highestModseq(view, found) : 0;
            SearchResponse.write(out, found, command.uid() ? view::uid : seq -> seq, highest);
        } else {
            var part = command.partial() == null ? null : command.partial().of(found);
            if (save) {
                selected.saveSearch(saved(view, found, part, command.returns()));
            }
            if (!command.returns().equals(EnumSet.of(Search.ReturnOption.SAVE))) { // SAVE alone: no ESEARCH
                IntToLongFunction shown = seq -> command.uid() ? view.uid(seq) : seq;
                long modseq = modseqKey ? reportedModseq(view, found, part, command.returns()) : 0;
                SearchResponse.esearch(out, command.tag(), command.uid(), command.returns(),
                        Arrays.stream(found).mapToLong(shown).toArray(), modseq,
                        part == null ? null : command.partial().wire(),
                        part == null ? null : Arrays.stream(part).mapToLong(shown).toArray(),
                        command.returns().contains(Search.ReturnOption.RELEVANCY) ? result.relevancies() : null);
            }
            if (update) {
                SearchContexts.keep(selected, fullText.attachments(), maxContexts, new SearchContexts.Request(
                        command.tag(), command.uid(), command.key(), command.updateItems(), null), found, out);
            }
        }
        out.drain();
        return Reply.ok(command.name() + " completed.");
    }

    /**
     * What {@code $} keeps (RFC 5182 §2.4, RFC 9394 §3.2): every message found when ALL or COUNT is asked or
     * nothing narrower; otherwise the MIN and/or MAX message with PARTIAL's part ({@code part}, null without
     * PARTIAL); as UIDs, so that expunged ones drop out. {@code found} in the command's order: for an
     * extended SORT, MIN and MAX are its first and last (RFC 5267 §3.1).
     */
    public static UidSet saved(MailboxView view, int[] found, int[] part, Set<Search.ReturnOption> options) {
        return UidSet.of(Arrays.stream(returned(found, part, options)).mapToLong(view::uid).sorted().toArray());
    }

    /**
     * The messages an ESEARCH reports on: all found with ALL or COUNT, or when neither MIN, MAX nor PARTIAL
     * narrows them; otherwise the first and/or last found (in {@code found}'s order) and PARTIAL's part,
     * ascending.
     */
    private static int[] returned(int[] found, int[] part, Set<Search.ReturnOption> options) {
        boolean min = options.contains(Search.ReturnOption.MIN);
        boolean max = options.contains(Search.ReturnOption.MAX);
        boolean all = options.contains(Search.ReturnOption.ALL) || options.contains(Search.ReturnOption.COUNT);
        if (found.length == 0 || all || !min && !max && part == null) {
            return found;
        }
        var out = new TreeSet<Integer>();
        if (min) {
            out.add(found[0]);
        }
        if (max) {
            out.add(found[found.length - 1]);
        }
        if (part != null) {
            Arrays.stream(part).forEach(out::add);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long highestModseq(MailboxView view, int[] seqs) {
        return Arrays.stream(seqs).mapToLong(view::modseq).max().orElse(0);
    }

    /**
     * RFC 4731 §3.2: the highest MODSEQ of the messages reported on ({@link #returned}): the one message MIN
     * or MAX returns, the higher of the two, with PARTIAL's part, or of all found.
     */
    private static long reportedModseq(MailboxView view, int[] found, int[] part, Set<Search.ReturnOption> options) {
        return highestModseq(view, returned(found, part, options));
    }

    /** Whether strings in search keys may come in {@code charset} (SEARCH, SORT and THREAD read the same ones). */
    public static boolean knowsCharset(String charset) {
        return CHARSETS.contains(charset);
    }

    /** The refusal of any other charset, naming those known (RFC 3501 §6.4.4, §7.1). */
    public static Reply badCharset() {
        return Reply.no("BADCHARSET (US-ASCII UTF-8)", "Unsupported charset.");
    }

    /**
     * The sequence numbers of the messages matching {@code key} ({@code saved}: what $ names), ascending:
     * text keys answered by {@code fullText} where it can, BODY and TEXT reading attachments as it
     * indexes them.
     */
    public static int[] matching(MailboxView view, SearchKey key, UidSet saved, Cancellation cancellation,
            FullTextSearch fullText) throws IOException {
        return found(view, key, saved, cancellation, fullText).seqs();
    }

    /** {@link #matching}'s messages with their relevancies (RFC 6203 §3). */
    public static Found found(MailboxView view, SearchKey key, UidSet saved, Cancellation cancellation,
            FullTextSearch fullText) throws IOException {
        var attachments = fullText.attachments();
        if (key.indexOnly()) {
            return found(view, key, saved, cancellation, TextCandidates.NONE, attachments);
        }
        var lookup = fullText.lookup(view);
        if (lookup.isEmpty()) {
            return found(view, key, saved, cancellation, TextCandidates.NONE, attachments);
        }
        try (var open = lookup.get()) {
            return found(view, key, saved, cancellation, TextCandidates.of(key, open, view), attachments);
        }
    }

    /**
     * The messages a search found, ascending, and the relevancy of each: 1 to 100 from its FUZZY keys, 100
     * for an exact match (RFC 6203 §3).
     */
    public record Found(int[] seqs, int[] relevancies) {}

    static int[] matching(MailboxView view, SearchKey key, UidSet saved, Cancellation cancellation,
            TextCandidates candidates, SearchText.AttachmentReader attachments) throws IOException {
        return found(view, key, saved, cancellation, candidates, attachments).seqs();
    }

    /**
     * The messages {@code key} matches, reading only the {@code candidates} for text keys, and looking only
     * at the messages they leave possible.
     */
    private static Found found(MailboxView view, SearchKey key, UidSet saved, Cancellation cancellation,
            TextCandidates candidates, SearchText.AttachmentReader attachments) throws IOException {
        var possible = candidates.possible(key);
        if (possible == null) {
            view.learnAll(needed(key), cancellation);
        } else {
            view.learn(possible.stream().map(i -> i + 1).toArray(), needed(key), cancellation);
        }
        var evaluator = new SearchEvaluator(view, saved, candidates, attachments);
        int checkMask = key.indexOnly() ? INDEX_ONLY_CHECK_MASK : 0;
        var hits = new int[Math.min(view.count(), 1024)];
        var relevancies = new int[hits.length];
        int n = 0;
        for (int seq = next(possible, 0, view.count()); seq > 0; seq = next(possible, seq, view.count())) {
            if ((seq & checkMask) == 0) {
                cancellation.check();
            }
            boolean matches;
            try {
                matches = evaluator.matches(key, seq);
            } catch (MessageNotFoundException gone) {
                matches = false; // expunged meanwhile; its EXPUNGE follows when allowed
            }
            if (matches) {
                if (n == hits.length) {
                    hits = Arrays.copyOf(hits, Math.max(16, n * 2));
                    relevancies = Arrays.copyOf(relevancies, hits.length);
                }
                relevancies[n] = evaluator.relevancy(seq);
                hits[n++] = seq;
            }
        }
        return new Found(Arrays.copyOf(hits, n), Arrays.copyOf(relevancies, n));
    }

    /** The sequence number after {@code seq} in {@code possible} (every one up to {@code count} when null); 0 past the end. */
    private static int next(BitSet possible, int seq, int count) {
        if (possible == null) {
            return seq < count ? seq + 1 : 0;
        }
        int index = possible.nextSetBit(seq);
        return index < 0 || index >= count ? 0 : index + 1;
    }

    /**
     * What {@code key} needs to know of every message beyond the index: the virtual sizes for LARGER
     * and SMALLER, the file's status for the internal date (BEFORE/SINCE,
     * OLDER/YOUNGER) and before the message is read.
     */
    static Set<Fact> needed(SearchKey key) {
        return switch (key) {
            case SearchKey.Size s -> EnumSet.of(Fact.VIRTUAL_SIZE);
            case SearchKey.Date d -> EnumSet.of(Fact.FILE_STATUS); // the SENT* keys read the message
            case SearchKey.Within w -> EnumSet.of(Fact.FILE_STATUS);
            case SearchKey.ThreadId t -> EnumSet.of(Fact.FILE_STATUS);
            case SearchKey.Header h -> EnumSet.of(Fact.FILE_STATUS);
            case SearchKey.Body b -> EnumSet.of(Fact.FILE_STATUS);
            case SearchKey.Text t -> EnumSet.of(Fact.FILE_STATUS);
            case SearchKey.Not n -> needed(n.key());
            case SearchKey.Fuzzy f -> needed(f.key());
            case SearchKey.Or o -> union(needed(o.left()), needed(o.right()));
            case SearchKey.And a -> a.keys().stream().map(SearchCommand::needed).reduce(Set.of(), SearchCommand::union);
            default -> Set.of();
        };
    }

    private static Set<Fact> union(Set<Fact> a, Set<Fact> b) {
        var both = EnumSet.noneOf(Fact.class);
        both.addAll(a);
        both.addAll(b);
        return both;
    }
}
