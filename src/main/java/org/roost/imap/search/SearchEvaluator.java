package org.roost.imap.search;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import org.roost.index.MailboxView;
import org.roost.mail.SystemFlag;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.SearchText;
import org.roost.storage.StoredMessage;

/**
 * Decides whether one message matches a search key. Keys that need only the index (flags, UIDs,
 * sizes, internal dates) never open the message; header keys use the cached MIME structure; only
 * BODY and TEXT read the message itself.
 */
final class SearchEvaluator {
    private static final String MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec ";
    private final MailboxView view;
    private final long largestUid;

    SearchEvaluator(MailboxView view) {
        this.view = view;
        this.largestUid = view.count() == 0 ? 0 : view.message(view.count()).uid();
    }

    boolean matches(SearchKey key, int seq, StoredMessage m) throws IOException {
        return switch (key) {
            case SearchKey.All a -> true;
            case SearchKey.Flag f -> m.flags().contains(f.flag()) == f.set();
            case SearchKey.New n -> view.isRecent(m) && !m.flags().contains(SystemFlag.SEEN);
            case SearchKey.Old o -> !view.isRecent(m);
            case SearchKey.Recent r -> view.isRecent(m);
            case SearchKey.Keyword k -> m.keywords().stream().anyMatch(k.keyword()::equalsIgnoreCase) == k.set();
            case SearchKey.Size s -> s.larger() ? m.virtualSize() > s.bytes() : m.virtualSize() < s.bytes();
            case SearchKey.Uid u -> u.set().contains(m.uid(), largestUid);
            case SearchKey.Sequence s -> s.set().contains(seq, view.count());
            case SearchKey.Not n -> !matches(n.key(), seq, m);
            case SearchKey.Or o -> matches(o.left(), seq, m) || matches(o.right(), seq, m);
            case SearchKey.And a -> allMatch(a, seq, m);
            case SearchKey.Date d -> dateMatches(d, m);
            case SearchKey.Header h -> isAddressField(h.field())
                    ? SearchText.addressContains(structure(m), h.field(), h.value())
                    : SearchText.headerContains(structure(m), h.field(), h.value());
            case SearchKey.Body b -> contentContains(m, b.value(), false);
            case SearchKey.Text t -> contentContains(m, t.value(), true);
        };
    }

    private static boolean isAddressField(String field) {
        return switch (field.toUpperCase(java.util.Locale.ROOT)) {
            case "FROM", "TO", "CC", "BCC" -> true;
            default -> false;
        };
    }

    private boolean allMatch(SearchKey.And and, int seq, StoredMessage m) throws IOException {
        for (var key : and.keys()) {
            if (!matches(key, seq, m)) {
                return false;
            }
        }
        return true;
    }

    private MessageStructure structure(StoredMessage m) throws IOException {
        return view.state().structure(m);
    }

    private boolean contentContains(StoredMessage m, String needle, boolean withHeaders) throws IOException {
        var structure = structure(m);
        try (var in = view.state().open(m)) {
            return withHeaders ? SearchText.textContains(structure, in, needle) : SearchText.bodyContains(structure, in, needle);
        }
    }

    /**
     * RFC 3501 §6.4.4: BEFORE/ON/SINCE compare the internal date (in the server's time zone),
     * SENT* the Date: header (as written, in its own zone), "disregarding time and timezone".
     */
    private boolean dateMatches(SearchKey.Date d, StoredMessage m) throws IOException {
        LocalDate date = d.field() == SearchKey.DateField.INTERNAL
                ? m.internalDate().atZone(ZoneId.systemDefault()).toLocalDate()
                : sentDate(m);
        if (date == null) {
            return false;
        }
        return switch (d.comparison()) {
            case BEFORE -> date.isBefore(d.date());
            case ON -> date.isEqual(d.date());
            case SINCE -> !date.isBefore(d.date());
        };
    }

    private LocalDate sentDate(StoredMessage m) throws IOException {
        var values = SearchText.headerValues(structure(m), "Date");
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
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

}
