package org.roost.storage.maildir;

import java.util.EnumSet;
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
        if (key.isEmpty() || key.charAt(0) == '.' || key.length() > 255) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '/' || c == ':' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    Set<SystemFlag> flags() {
        var flags = EnumSet.noneOf(SystemFlag.class);
        for (char c : info.toCharArray()) {
            switch (c) {
                case 'D' -> flags.add(SystemFlag.DRAFT);
                case 'F' -> flags.add(SystemFlag.FLAGGED);
                case 'R' -> flags.add(SystemFlag.ANSWERED);
                case 'S' -> flags.add(SystemFlag.SEEN);
                case 'T' -> flags.add(SystemFlag.DELETED);
                default -> { }
            }
        }
        return flags;
    }

    /** Keyword indexes (0 for 'a') named by the info letters. */
    Set<Integer> keywordIndexes() {
        Set<Integer> indexes = Set.of(); // the common case, met once per message when a folder is scanned
        for (int i = 0; i < info.length(); i++) {
            char c = info.charAt(i);
            if (c >= 'a' && c <= 'z') {
                if (indexes.isEmpty()) {
                    indexes = new TreeSet<>();
                }
                indexes.add(c - 'a');
            }
        }
        return indexes;
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
