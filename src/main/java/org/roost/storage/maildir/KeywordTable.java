package org.roost.storage.maildir;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;
import org.roost.mail.Keywords;

/**
 * {@code dovecot-keywords}: lines {@code <index> <name>} mapping the letters {@code a..z}
 * (index 0..25) to keyword names. Damaged lines are skipped, never thrown.
 */
final class KeywordTable {

    private static final System.Logger LOG = System.getLogger(KeywordTable.class.getName());

    private final String[] names = new String[MaildirFileName.MAX_KEYWORDS];

    static KeywordTable parse(String text, String origin) {
        var table = new KeywordTable();
        var lines = text.split("\n");
        int damaged = 0;
        for (var line : lines) {
            if (!line.isEmpty() && !table.parseLine(line)) {
                damaged++;
            }
        }
        if (damaged > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0}: skipped {1} damaged lines", origin, damaged);
        }
        return table;
    }

    private boolean parseLine(String line) {
        int space = line.indexOf(' ');
        if (space <= 0 || space > 2) {
            return false;
        }
        int index;
        try {
            index = Integer.parseInt(line.substring(0, space));
        } catch (NumberFormatException e) {
            return false;
        }
        var name = line.substring(space + 1);
        if (index < 0 || index >= names.length || names[index] != null
                || !Keywords.isValid(name) || indexOf(name).isPresent()) {
            return false;
        }
        names[index] = name;
        return true;
    }

    String name(int index) {
        return index >= 0 && index < names.length ? names[index] : null;
    }

    /** The index of a keyword: exact spelling first, then ignoring case (keywords are atoms). */
    OptionalInt indexOf(String keyword) {
        for (int i = 0; i < names.length; i++) {
            if (keyword.equals(names[i])) {
                return OptionalInt.of(i);
            }
        }
        var lower = keyword.toLowerCase(Locale.ROOT);
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null && names[i].toLowerCase(Locale.ROOT).equals(lower)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /** Adds a keyword at the first free index; empty when all 26 letters are taken. */
    OptionalInt add(String keyword) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                names[i] = keyword;
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    String format() {
        var out = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                out.append(i).append(' ').append(names[i]).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeywordTable table && Arrays.equals(names, table.names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }
}
