package org.roost.mail.sort;

import java.util.ArrayList;
import java.util.List;

/**
 * Message IDs in Message-ID, In-Reply-To and References fields, normalized as RFC 5256 §3
 * (REFERENCES) requires: quoting and escapes removed, so {@code <"a"@b>} and {@code <a@b>} are the
 * same ID; comments and folding between IDs ignored. A valid ID is {@code <left@right>} with both
 * sides non-empty; anything else between angle brackets is skipped. Comparisons stay case-sensitive.
 */
public final class MessageIds {
    private MessageIds() {
    }

    /** The valid IDs of a raw field value, in order, at most {@code max} (the last ones when there are more). */
    public static List<String> all(String field, int max) {
        var ids = new ArrayList<String>();
        if (field == null) {
            return ids;
        }
        int at = 0;
        while (true) {
            int open = nextOpening(field, at);
            if (open < 0) {
                break;
            }
            int close = closing(field, open + 1);
            if (close < 0) {
                break;
            }
            var id = normalized(field, open + 1, close);
            if (id != null) {
                ids.add(id);
            }
            at = close + 1;
        }
        return ids.size() > max ? new ArrayList<>(ids.subList(ids.size() - max, ids.size())) : ids;
    }

    /** The first valid ID of a raw field value, or null. */
    public static String first(String field) {
        if (field == null) {
            return null;
        }
        for (int open = nextOpening(field, 0); open >= 0; open = nextOpening(field, open + 1)) {
            int close = closing(field, open + 1);
            if (close < 0) {
                return null;
            }
            var id = normalized(field, open + 1, close);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    /** The next '<' from {@code from} that is not inside a comment, or -1. */
    private static int nextOpening(String field, int from) {
        int depth = 0;
        for (int i = from; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && depth > 0) {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == '<' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The '>' that ends the ID starting at {@code from}, skipping quoted strings; -1 if none. */
    private static int closing(String field, int from) {
        boolean quoted = false;
        for (int i = from; i < field.length(); i++) {
            char c = field.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** The ID between the brackets without quotes, escapes and white space; null if not left@right. */
    private static String normalized(String field, int from, int to) {
        var id = new StringBuilder(to - from);
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            char c = field.charAt(i);
            if (quoted && c == '\\' && i + 1 < to) {
                id.append(field.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '<') {
                return null;
            } else if (quoted || c > ' ') {
                id.append(c);
            }
        }
        int at = id.lastIndexOf("@");
        return at > 0 && at < id.length() - 1 ? id.toString() : null;
    }
}
