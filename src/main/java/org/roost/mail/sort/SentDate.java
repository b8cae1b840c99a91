package org.roost.mail.sort;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sent date of RFC 5256 §2.2: the Date: field's date and time normalized to UTC, as epoch
 * seconds. An unknown or invalid zone counts as UTC; a field without a valid date and time yields
 * nothing (as in Dovecot), and the caller uses the internal date instead.
 */
public final class SentDate {
    private static final String MONTHS = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";

    private SentDate() {
    }

    /** Epoch seconds in UTC, or null when {@code field} (raw Date: value, may be null) holds no valid date. */
    public static Long parse(String field) {
        if (field == null) {
            return null;
        }
        var words = words(field);
        if (words.size() < 3) {
            return null;
        }
        var date = date(words.get(0), words.get(1), words.get(2));
        if (date == null) {
            return null;
        }
        long seconds = date.toEpochDay() * 86_400;
        int time = words.size() > 3 ? time(words.get(3)) : -1;
        if (time < 0) {
            // §2.2 would count the time as 00:00:00 (a SHOULD); Dovecot, the tie-breaker, finds no date
            // without a time and sorts by the internal date, and so does Roost
            return null;
        }
        return seconds + time - (words.size() > 4 ? zoneOffset(words.get(4)) : 0);
    }

    /** The field's words after the day of the week, comments (RFC 5322 CFWS) removed, in upper case. */
    private static List<String> words(String field) {
        return plain(field) ? plainWords(field) : anyWords(field);
    }

    /** Printable ASCII, tabs and line ends: what nearly every Date: field is, and what {@link #plainWords} takes. */
    private static boolean plain(String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if ((c < 0x20 || c >= 0x7f) && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #anyWords} in one pass for a {@link #plain} field, without its regular expression (compiled for
     * every message a first SORT reads): there upper case is ASCII's, and the only white space is what the
     * words are split at.
     */
    private static List<String> plainWords(String field) {
        int from = firstCommaOutsideComments(field) + 1;
        var words = new ArrayList<String>(6);
        var word = new StringBuilder(8);
        int depth = 0;
        for (int i = from; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth > 0) {
                continue;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                endWord(words, word);
            } else {
                word.append(c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
            }
        }
        endWord(words, word);
        return words;
    }

    private static int firstCommaOutsideComments(String field) {
        int depth = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static void endWord(List<String> words, StringBuilder word) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** {@link #words} of any field. */
    private static List<String> anyWords(String field) {
        var text = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                text.append(c);
            }
        }
        var cleaned = text.toString().toUpperCase(Locale.ROOT);
        cleaned = cleaned.substring(cleaned.indexOf(',') + 1).strip();
        return cleaned.isEmpty() ? List.of() : List.of(cleaned.split("[ \t\r\n]+"));
    }

    private static LocalDate date(String day, String month, String year) {
        int m = MONTHS.indexOf(month);
        if (month.length() != 3 || m < 0 || m % 3 != 0) {
            return null;
        }
        int d = number(day, 1, 2);
        int y = number(year, 2, 4);
        if (d < 0 || y < 0) {
            return null;
        }
        if (year.length() == 2) {
            y += y < 50 ? 2000 : 1900; // RFC 5322 §4.3: obsolete two-digit years
        } else if (year.length() == 3) {
            y += 1900;
        }
        try {
            return LocalDate.of(y, m / 3 + 1, d);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** hh:mm[:ss] as seconds of the day, or -1. */
    private static int time(String text) {
        var parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            return -1;
        }
        int h = number(parts[0], 1, 2);
        int m = number(parts[1], 2, 2);
        int s = parts.length == 3 ? number(parts[2], 2, 2) : 0;
        if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) {
            return -1;
        }
        return h * 3600 + m * 60 + Math.min(s, 59);
    }

    /** The zone's offset east of UTC in seconds; 0 for UTC, military and unknown zones (§2.2, RFC 5322 §4.3). */
    private static int zoneOffset(String zone) {
        if (zone.length() == 5 && (zone.charAt(0) == '+' || zone.charAt(0) == '-')) {
            int hhmm = number(zone.substring(1), 4, 4);
            if (hhmm < 0 || hhmm % 100 > 59) {
                return 0;
            }
            int seconds = (hhmm / 100) * 3600 + (hhmm % 100) * 60;
            return zone.charAt(0) == '-' ? -seconds : seconds;
        }
        return switch (zone) {
            case "EDT" -> -4 * 3600;
            case "EST", "CDT" -> -5 * 3600;
            case "CST", "MDT" -> -6 * 3600;
            case "MST", "PDT" -> -7 * 3600;
            case "PST" -> -8 * 3600;
            default -> 0;
        };
    }

    /** Decimal digits, {@code min} to {@code max} of them, or -1. */
    private static int number(String text, int min, int max) {
        if (text.length() < min || text.length() > max) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + c - '0';
        }
        return n;
    }
}
