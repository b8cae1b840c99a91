package org.roost.storage.maildir;

import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.roost.mail.SystemFlag;

/**
 * A message file name in {@code cur/}: {@code <base>[:2,<info>]}. The base is the stable key
 * (the uid list is keyed by it); Dovecot puts {@code ,S=<size>} and {@code ,W=<vsize>} into it.
 * The info letters are sorted: upper case for system flags (D draft, F flagged, R replied,
 * S seen, T trashed; others such as P are kept as they are), lower case {@code a..z} for
 * keywords by their index in {@code dovecot-keywords}.
 *
 * @param base the name up to the first ':'
 * @param info the letters after {@code :2,}, empty when there are none or no info part at all
 */
record MaildirFileName(String base, String info) {

    static final String INFO_SEPARATOR = ":2,";
    static final int MAX_KEYWORDS = 26;

    static MaildirFileName parse(String fileName) {
        int colon = fileName.indexOf(':');
        if (colon < 0) {
            return new MaildirFileName(fileName, "");
        }
        var info = fileName.startsWith(INFO_SEPARATOR, colon) ? fileName.substring(colon + 3) : "";
        return new MaildirFileName(fileName.substring(0, colon), info);
    }

    /** A name that may be a message file: no dot file, no separator, no control character. */
    static boolean isPlausibleKey(String key) {
        return isPlausibleKey(key, key.length());
    }

    /** Whether the first {@code length} characters of {@code text} are a {@link #isPlausibleKey plausible key}, read in place. */
    static boolean isPlausibleKey(String text, int length) {
        if (length == 0 || text.charAt(0) == '.' || length > 255) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '/' || c == ':' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the info letters of a file name start: after {@code :2,} at its first ':', as {@link #parse}
     * takes them; the name's length when it has none. Lets a listing of a million names read their
     * flags in place.
     */
    static int infoStart(String fileName) {
        int colon = fileName.indexOf(':');
        return colon >= 0 && fileName.startsWith(INFO_SEPARATOR, colon) ? colon + INFO_SEPARATOR.length()
                : fileName.length();
    }

    /** The system flags of the letters in {@code text} from {@code start} on, as bits of {@link SystemFlag#setOf}. */
    static int flagBits(String text, int start) {
        int bits = 0;
        for (int i = start; i < text.length(); i++) {
            var flag = flagOf(text.charAt(i));
            bits |= flag == null ? 0 : 1 << flag.ordinal();
        }
        return bits;
    }

    /** Keyword indexes (0 for 'a') named by the letters in {@code text} from {@code start} on. */
    static Set<Integer> keywordIndexes(String text, int start) {
        Set<Integer> indexes = Set.of(); // the common case, met once per message when a folder is scanned
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                if (indexes.isEmpty()) {
                    indexes = new TreeSet<>();
                }
                indexes.add(c - 'a');
            }
        }
        return indexes;
    }

    /** The system flag of an info letter, or null. */
    static SystemFlag flagOf(char letter) {
        return switch (letter) {
            case 'D' -> SystemFlag.DRAFT;
            case 'F' -> SystemFlag.FLAGGED;
            case 'R' -> SystemFlag.ANSWERED;
            case 'S' -> SystemFlag.SEEN;
            case 'T' -> SystemFlag.DELETED;
            default -> null;
        };
    }

    Set<SystemFlag> flags() {
        return SystemFlag.setOf(flagBits(info, 0));
    }

    /** Keyword indexes (0 for 'a') named by the info letters. */
    Set<Integer> keywordIndexes() {
        return keywordIndexes(info, 0);
    }

    /** Upper-case letters with no meaning here (e.g. P, passed): kept across flag changes. */
    String foreignLetters() {
        var kept = new StringBuilder();
        for (char c : info.toCharArray()) {
            if (c >= 'A' && c <= 'Z' && "DFRST".indexOf(c) < 0) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    OptionalLong size() {
        return sizeField(",S=");
    }

    OptionalLong virtualSize() {
        return sizeField(",W=");
    }

    /** The digits after the first {@code marker} (e.g. {@code ,S=}) in the base, when there is such a field. */
    private OptionalLong sizeField(String marker) {
        int at = base.indexOf(marker);
        int start = at + marker.length();
        if (at < 0 || start >= base.length() || !isDigit(base.charAt(start))) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int end = start; end < base.length() && isDigit(base.charAt(end)) && end - start < 18; end++) {
            value = value * 10 + (base.charAt(end) - '0');
        }
        return OptionalLong.of(value);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The same base with new flags; foreign letters are kept. */
    MaildirFileName withFlags(Set<SystemFlag> flags, Set<Integer> keywordIndexes) {
        var letters = new TreeSet<Character>();
        for (char c : foreignLetters().toCharArray()) {
            letters.add(c);
        }
        for (var flag : flags) {
            letters.add(letter(flag));
        }
        for (int index : keywordIndexes) {
            letters.add((char) ('a' + index));
        }
        var info = new StringBuilder();
        letters.forEach(info::append);
        return new MaildirFileName(base, info.toString());
    }

    static char letter(SystemFlag flag) {
        return switch (flag) {
            case DRAFT -> 'D';
            case FLAGGED -> 'F';
            case ANSWERED -> 'R';
            case SEEN -> 'S';
            case DELETED -> 'T';
        };
    }

    /**
     * Whether {@code fileName} is one that its message's flags imply: the bare base, or {@code :2,}
     * and flag and keyword letters in ascending order, as {@link #withFlags} writes them. Other names
     * (foreign letters, unsorted ones) cannot be guessed from the flags. Read in place: a listing of
     * a million names asks this of each.
     */
    static boolean impliedByFlags(String fileName) {
        int colon = fileName.indexOf(':');
        if (colon < 0) {
            return true;
        }
        if (!fileName.startsWith(INFO_SEPARATOR, colon)) {
            return false;
        }
        char previous = 0;
        for (int i = colon + INFO_SEPARATOR.length(); i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            if (c <= previous || !("DFRST".indexOf(c) >= 0 || c >= 'a' && c <= 'z')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** The file name; always with an info part, as Dovecot writes names in cur/. */
    String fileName() {
        return base + INFO_SEPARATOR + info;
    }
}
