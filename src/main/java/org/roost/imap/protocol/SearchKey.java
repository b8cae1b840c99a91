package org.roost.imap.protocol;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;
import org.roost.mail.SequenceSet;
import org.roost.mail.SystemFlag;

/** A search-key of RFC 3501 §6.4.4, as a tree. */
public sealed interface SearchKey {

    /** Whether the index alone answers this key (no header, body or Date: field is read). */
    default boolean indexOnly() {
        return switch (this) {
            case Header h -> false;
            case Body b -> false;
            case Text t -> false;
            case Date d -> d.field() != DateField.SENT;
            case ThreadId t -> false;
            case Not n -> n.key().indexOnly();
            case Fuzzy f -> f.key().indexOnly();
            case Or o -> o.left().indexOnly() && o.right().indexOnly();
            case And a -> a.keys().stream().allMatch(SearchKey::indexOnly);
            default -> true;
        };
    }

    /** Whether {@code wanted} holds for this key or any key within it. */
    default boolean any(Predicate<SearchKey> wanted) {
        return wanted.test(this) || switch (this) {
            case Not n -> n.key().any(wanted);
            case Fuzzy f -> f.key().any(wanted);
            case Or o -> o.left().any(wanted) || o.right().any(wanted);
            case And a -> a.keys().stream().anyMatch(k -> k.any(wanted));
            default -> false;
        };
    }

    /** Keys that test a system flag ({@code flag} is the bit; {@code set} whether it must be set). */
    record Flag(SystemFlag flag, boolean set) implements SearchKey {}

    record All() implements SearchKey {}

    record New() implements SearchKey {}

    record Old() implements SearchKey {}

    record Recent() implements SearchKey {}

    record Keyword(String keyword, boolean set) implements SearchKey {}

    /** BCC, CC, FROM, SUBJECT, TO, and HEADER field-name string. */
    record Header(String field, String value) implements SearchKey {}

    record Body(String value) implements SearchKey {}

    record Text(String value) implements SearchKey {}

    /**
     * BEFORE/ON/SINCE compare the internal date; SENTBEFORE/SENTON/SENTSINCE the Date: header; SAVEDBEFORE/SAVEDON/
     * SAVEDSINCE the save date (RFC 8514 §4.3).
     */
    record Date(DateField field, Comparison comparison, LocalDate date) implements SearchKey {}

    record Size(boolean larger, long bytes) implements SearchKey {}

    record Uid(SequenceSet set) implements SearchKey {}

    /** MODSEQ (RFC 7162 §3.1.5): a MODSEQ at least {@code modseq}; the entry name, if any, is checked, not kept. */
    record Modseq(long modseq) implements SearchKey {}

    /** OLDER and YOUNGER (RFC 5032): the internal date at least {@code seconds} before now, or at most. */
    record Within(boolean older, long seconds) implements SearchKey {}

    record Sequence(SequenceSet set) implements SearchKey {}

    /** EMAILID (RFC 8474 §6): messages whose EMAILID is exactly {@code id} (case-sensitive). */
    record EmailId(String id) implements SearchKey {}

    /** THREADID (RFC 8474 §6): messages whose THREADID is exactly {@code id}. */
    record ThreadId(String id) implements SearchKey {}

    /** SAVEDATESUPPORTED (RFC 8514 §4.3): every message where the mailbox keeps save dates, else none. */
    record SaveDateSupported() implements SearchKey {}

    /**
     * RFC 6203 §2: FUZZY before a key lets its text keys match inexactly (within it, however deep), each message
     * found getting a relevancy; on keys that are not text it changes nothing.
     */
    record Fuzzy(SearchKey key) implements SearchKey {}

    record Not(SearchKey key) implements SearchKey {}

    record Or(SearchKey left, SearchKey right) implements SearchKey {}

    record And(List<SearchKey> keys) implements SearchKey {}

    enum DateField { INTERNAL, SENT, SAVED }

    enum Comparison { BEFORE, ON, SINCE }
}
