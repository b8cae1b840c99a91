package org.roost.imap.search;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.roost.fts.Candidates;
import org.roost.fts.Resemblance;
import org.roost.imap.protocol.ImapDates;
import org.roost.imap.protocol.SearchKey;
import org.roost.index.Fact;
import org.roost.index.MailboxView;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.ObjectIds;
import org.roost.mail.SequenceSet;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.SearchText;

/**
 * Decides whether one message matches a search key. Keys that need only the index (flags, UIDs,
 * sizes, internal dates) read the view's columns and never make a message object; header keys
 * use the cached MIME structure; only BODY and TEXT read the message itself.
 */
final class SearchEvaluator {
    private static final String MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec ";
    private final MailboxView view;
    private final long largestUid;
    private final UidSet saved;
    private final TextCandidates candidates;
    private final SearchText.AttachmentReader attachments;
    private final ZoneRules zone;
    /** The time OLDER and YOUNGER count back from: one for the whole search. */
    private final long now;
    /** The GUIDs of the messages whose GUID is not their key, read at the first EMAILID or THREADID key. */
    private Map<String, String> guids;
    /** The keyword bits each KEYWORD/UNKEYWORD argument names (keywords match ignoring case). */
    private final Map<String, Long> keywordMasks = new HashMap<>();
    /** The message the FUZZY keys that held last were of, and the highest relevancy among them (RFC 6203 §3). */
    private int relevancySeq;
    private int relevancy;

    SearchEvaluator(MailboxView view, UidSet saved, TextCandidates candidates,
            SearchText.AttachmentReader attachments) {
        this(view, ZoneId.systemDefault(), saved, candidates, attachments);
    }

    /**
     * {@code zone} is the server's time zone, in which internal dates fall on a day; {@code saved} what
     * {@code $} names (RFC 5182), {@code candidates} which messages the text keys may match, {@code attachments}
     * how BODY and TEXT read parts that are not text.
     */
    SearchEvaluator(MailboxView view, ZoneId zone, UidSet saved, TextCandidates candidates,
            SearchText.AttachmentReader attachments) {
        this.view = view;
        this.saved = saved;
        this.candidates = candidates;
        this.attachments = attachments;
        this.largestUid = view.count() == 0 ? 0 : view.uid(view.count());
        this.zone = zone.getRules();
        this.now = Instant.now().getEpochSecond();
    }

    boolean matches(SearchKey key, int seq) throws IOException {
        return switch (key) {
            case SearchKey.All a -> true;
            case SearchKey.Flag f -> hasFlag(seq, f.flag()) == f.set();
            case SearchKey.New n -> isRecent(seq) && !hasFlag(seq, SystemFlag.SEEN);
            case SearchKey.Old o -> !isRecent(seq);
            case SearchKey.Recent r -> isRecent(seq);
            case SearchKey.Keyword k -> ((view.keywordMask(seq) & keywordMask(k.keyword())) != 0) == k.set();
            case SearchKey.Size s -> sizeMatches(s, seq);
            case SearchKey.Uid u -> inSet(u.set(), view.uid(seq), largestUid);
            case SearchKey.Modseq m -> view.modseq(seq) >= m.modseq(); // RFC 7162 §3.1.5: equal to or greater
            case SearchKey.Within w -> withinMatches(w, seq);
            case SearchKey.Sequence s -> s.set().isSaved() ? saved.contains(view.uid(seq))
                    : s.set().contains(seq, view.count());
            case SearchKey.Fuzzy f -> fuzzyMatches(f.key(), seq);
            case SearchKey.Not n -> !matches(n.key(), seq);
            case SearchKey.Or o -> matches(o.left(), seq) || matches(o.right(), seq);
            case SearchKey.And a -> allMatch(a, seq);
            case SearchKey.Date d -> dateMatches(d, seq);
            case SearchKey.EmailId e -> emailId(seq).equals(e.id());
            case SearchKey.ThreadId t -> ObjectIds.threadId(structure(seq), emailId(seq)).equals(t.id());
            case SearchKey.SaveDateSupported s -> view.state().saveDate(view.message(seq)) != null;
            case SearchKey.Header h -> switch (indexAnswer(h, seq)) {
                case YES -> true;
                case NO -> false;
                case MAYBE -> isAddressField(h.field())
                        ? SearchText.addressContains(structure(seq), h.field(), h.value())
                        : SearchText.headerContains(structure(seq), h.field(), h.value());
            };
            case SearchKey.Body b -> switch (indexAnswer(b, seq)) {
                case YES -> true;
                case NO -> false;
                case MAYBE -> contentContains(seq, b.value(), false);
            };
            case SearchKey.Text t -> switch (indexAnswer(t, seq)) {
                case YES -> true;
                case NO -> false;
                case MAYBE -> contentContains(seq, t.value(), true);
            };
        };
    }

    /**
     * The relevancy of message {@code seq} once {@link #matches} found it (RFC 6203 §3): the highest of the FUZZY
     * text keys that held for it, 100 when none did (an exact match).
     */
    int relevancy(int seq) {
        return seq == relevancySeq ? relevancy : 100;
    }

    /**
     * {@code key} under FUZZY: a text key holds where the index finds the message resembling its needle, and
     * by the matcher's exact rule (relevancy 100) where the index cannot tell; other keys as without FUZZY.
     */
    private boolean fuzzyMatches(SearchKey key, int seq) throws IOException {
        return switch (key) {
            case SearchKey.Header h -> resembles(h, seq);
            case SearchKey.Body b -> resembles(b, seq);
            case SearchKey.Text t -> resembles(t, seq);
            case SearchKey.Fuzzy f -> fuzzyMatches(f.key(), seq);
            case SearchKey.Not n -> !fuzzyMatches(n.key(), seq);
            case SearchKey.Or o -> fuzzyMatches(o.left(), seq) | fuzzyMatches(o.right(), seq); // both relevancies
            case SearchKey.And a -> {
                for (var k : a.keys()) {
                    if (!fuzzyMatches(k, seq)) {
                        yield false;
                    }
                }
                yield true;
            }
            default -> matches(key, seq);
        };
    }

    private boolean resembles(SearchKey textKey, int seq) throws IOException {
        requireKnown(seq, Fact.FILE_STATUS);
        int resemblance = candidates.resemblance(textKey, seq);
        if (resemblance == Resemblance.MATCHER) {
            resemblance = matches(textKey, seq) ? 100 : Resemblance.NOT;
        }
        if (resemblance == Resemblance.NOT) {
            return false;
        }
        relevancy = seq == relevancySeq ? Math.max(relevancy, resemblance) : resemblance;
        relevancySeq = seq;
        return true;
    }

    /** {@code $} names UIDs whether it stands for sequence numbers or UIDs (RFC 5182 §2.1). */
    private boolean inSet(SequenceSet set, long uid, long largest) {
        return set.isSaved() ? saved.contains(uid) : set.contains(uid, largest);
    }

    /** RFC 5032 §3: OLDER at or before now - interval, YOUNGER at or after it. */
    private boolean withinMatches(SearchKey.Within key, int seq) throws MessageNotFoundException {
        requireKnown(seq, Fact.FILE_STATUS);
        long seconds = view.internalDateSeconds(seq);
        return key.older() ? seconds <= now - key.seconds() : seconds >= now - key.seconds();
    }

    /** A message whose size is unknown after measuring is gone: it matches neither LARGER nor SMALLER. */
    private boolean sizeMatches(SearchKey.Size key, int seq) throws MessageNotFoundException {
        requireKnown(seq, Fact.VIRTUAL_SIZE);
        long size = view.virtualSize(seq);
        return key.larger() ? size > key.bytes() : size < key.bytes();
    }

    /**
     * A message whose facts are unknown after {@link SearchCommand} looked them up is gone (or its file
     * is no regular file): it matches no key, not even under NOT, and its file is not read.
     */
    private void requireKnown(int seq, Fact fact) throws MessageNotFoundException {
        if (!view.knows(seq, Set.of(fact))) {
            throw new MessageNotFoundException("message " + view.uid(seq) + " is gone: its file cannot be looked at");
        }
    }

    /** A gone message matches no text key, not even under NOT: checked before the index answers. */
    private Candidates.Answer indexAnswer(SearchKey key, int seq) throws MessageNotFoundException {
        requireKnown(seq, Fact.FILE_STATUS);
        return candidates.answer(key, seq);
    }

    private boolean hasFlag(int seq, SystemFlag flag) {
        return (view.flagBits(seq) & (1 << flag.ordinal())) != 0;
    }

    private boolean isRecent(int seq) {
        return view.isRecentUid(view.uid(seq));
    }

    private long keywordMask(String keyword) {
        return keywordMasks.computeIfAbsent(keyword, view::keywordMaskIgnoringCase);
    }

    private static boolean isAddressField(String field) {
        return switch (field.toUpperCase(Locale.ROOT)) {
            case "FROM", "TO", "CC", "BCC" -> true;
            default -> false;
        };
    }

    private boolean allMatch(SearchKey.And and, int seq) throws IOException {
        for (var key : and.keys()) {
            if (!matches(key, seq)) {
                return false;
            }
        }
        return true;
    }

    private MessageStructure structure(int seq) throws IOException {
        requireKnown(seq, Fact.FILE_STATUS);
        return view.state().structure(view.message(seq));
    }

    private boolean contentContains(int seq, String needle, boolean withHeaders) throws IOException {
        var structure = structure(seq);
        var m = view.message(seq);
        try (var in = view.state().open(m)) {
            return SearchText.contains(structure, in, needle, withHeaders, attachments);
        }
    }

    /**
     * RFC 3501 §6.4.4: BEFORE/ON/SINCE compare the internal date (in the server's time zone),
     * SENT* the Date: header (as written, in its own zone), "disregarding time and timezone".
     */
    private boolean dateMatches(SearchKey.Date d, int seq) throws IOException {
        long day;
        if (d.field() == SearchKey.DateField.INTERNAL) {
            day = internalDay(seq);
        } else if (d.field() == SearchKey.DateField.SAVED) {
            day = savedDay(seq);
        } else {
            var sent = sentDate(seq);
            if (sent == null) {
                return false;
            }
            day = sent.toEpochDay();
        }
        long wanted = d.date().toEpochDay();
        return switch (d.comparison()) {
            case BEFORE -> day < wanted;
            case ON -> day == wanted;
            case SINCE -> day >= wanted;
        };
    }

    /** The epoch day of the internal date as FETCH INTERNALDATE shows it ({@link ImapDates#displayOffset}). */
    private long internalDay(int seq) throws MessageNotFoundException {
        requireKnown(seq, Fact.FILE_STATUS);
        return dayOf(view.internalDateSeconds(seq));
    }

    /** RFC 8514 §4.3: the save date's day, or the internal date's where the storage keeps no save dates. */
    private long savedDay(int seq) throws IOException {
        requireKnown(seq, Fact.FILE_STATUS);
        var saved = view.state().saveDate(view.message(seq));
        return saved == null ? internalDay(seq) : dayOf(saved.getEpochSecond());
    }

    private long dayOf(long epochSecond) {
        long seconds = ImapDates.shownSecond(epochSecond);
        return Math.floorDiv(seconds + ImapDates.displayOffset(zone, seconds), 86_400);
    }

    /** RFC 8474 §5.1: from the message's GUID (see {@code MessageFetch}). */
    private String emailId(int seq) throws IOException {
        if (guids == null) {
            guids = view.state().messageGuids();
        }
        var key = view.message(seq).key();
        return ObjectIds.emailId(guids.getOrDefault(key, key));
    }

    private LocalDate sentDate(int seq) throws IOException {
        var values = SearchText.headerValues(structure(seq), "Date");
        if (values.isEmpty()) {
            return null;
        }
        return parseRfc5322Date(values.getFirst());
    }

    /** Lenient RFC 5322 date: optional day name, comments and obsolete zone names tolerated. */
    static LocalDate parseRfc5322Date(String text) {
        var cleaned = text.replaceAll("\\([^)]*\\)", " ").strip().replaceAll("\\s+", " ");
        int comma = cleaned.indexOf(',');
        if (comma >= 0) {
            cleaned = cleaned.substring(comma + 1).strip();
        }
        var parts = cleaned.split(" ");
        if (parts.length < 3) {
            return null;
        }
        int month = MONTHS.indexOf(parts[1].toLowerCase(Locale.ROOT)) / 4 + 1;
        if (parts[1].length() != 3 || month < 1 || MONTHS.indexOf(parts[1].toLowerCase(Locale.ROOT)) % 4 != 0) {
            return null;
        }
        try {
            int day = Integer.parseInt(parts[0]);
            int year = Integer.parseInt(parts[2]);
            if (year < 100) {
                year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3 obsolete two-digit years
            }
            return LocalDate.of(year, month, day);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

}
