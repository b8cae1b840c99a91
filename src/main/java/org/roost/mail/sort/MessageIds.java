package org.roost.mail.sort;

import java.util.ArrayList;
import java.util.List;

/**
 * Message IDs in Message-ID, In-Reply-To and References fields, normalized as RFC 5256 §3
 * (REFERENCES) requires: {@code msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS]} (RFC 5322
 * §3.6.4, with its obsolete forms: words and quoted strings joined by dots, CFWS between them)
 * read token by token, so {@code <"a"@b>}, {@code <a@b>} and {@code < a (c) @ b >} are the same ID
 * {@code a@b}; a quoted string keeps its spaces. Where an ID does not parse, the next '<' is looked
 * for from where reading stopped (before an unclosed quoted string or comment), as Dovecot does:
 * so {@code <"a> <"b@x>} names no ID, while {@code <a"@x> <b@x>} names {@code b@x}. Comparisons
 * stay case-sensitive.
 */
public final class MessageIds {
    /** RFC 5322 §2.1.1's line length: no real ID is longer, and reading one stops there. */
    private static final int MAX_ID_CHARS = 998;
    /** RFC 5322 §3.2.3 atext besides letters and digits. */
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

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
            int open = field.indexOf('<', at);
            if (open < 0) {
                break;
            }
            var reader = new Reader(field, open + 1);
            var id = reader.msgId();
            if (id != null) {
                ids.add(id);
            }
            at = Math.max(reader.at, open + 1);
        }
        return ids.size() > max ? new ArrayList<>(ids.subList(ids.size() - max, ids.size())) : ids;
    }

    /** The first valid ID of a raw field value, or null. */
    public static String first(String field) {
        var ids = all(field, Integer.MAX_VALUE);
        return ids.isEmpty() ? null : ids.getFirst();
    }

    /**
     * Reads one ID after its '<', looking at most {@link #MAX_ID_CHARS} ahead: an unclosed quote or
     * comment cannot make each of thousands of '<' read the rest of the field.
     */
    private static final class Reader {
        private final String s;
        private final int end;
        private int at;

        Reader(String s, int at) {
            this.s = s;
            this.at = at;
            this.end = Math.min(s.length(), at + MAX_ID_CHARS);
        }

        String msgId() {
            var id = new StringBuilder();
            if (!dottedWords(id)) {
                return null;
            }
            skipCfws();
            if (!take('@')) {
                return null;
            }
            id.append('@');
            skipCfws();
            if (at < end && s.charAt(at) == '[') {
                if (!literal(id)) {
                    return null;
                }
            } else if (!dottedWords(id)) {
                return null;
            }
            skipCfws();
            return take('>') ? id.toString() : null;
        }

        /** word *("." word), word = atom / quoted-string, CFWS around each. */
        private boolean dottedWords(StringBuilder id) {
            do {
                skipCfws();
                if (!word(id)) {
                    return false;
                }
                skipCfws();
            } while (take('.') && id.append('.') != null);
            return true;
        }

        private boolean word(StringBuilder id) {
            int quote = at;
            if (take('"')) {
                while (at < end) {
                    char c = s.charAt(at++);
                    if (c == '"') {
                        return true;
                    }
                    if (c == '\\' && at < end) {
                        c = s.charAt(at++);
                    }
                    if (c != '\r' && c != '\n') {
                        id.append(c);
                    }
                }
                at = quote; // unclosed: the next '<' may be inside
                return false;
            }
            int start = at;
            while (at < end && isAtext(s.charAt(at))) {
                at++;
            }
            id.append(s, start, at);
            return at > start;
        }

        /** "[" *(dtext / quoted-pair) "]", kept with its brackets. */
        private boolean literal(StringBuilder id) {
            int start = at;
            while (++at < end) {
                char c = s.charAt(at);
                if (c == ']') {
                    id.append(s, start, ++at);
                    return true;
                }
                if (c == '[' || c == '\\') {
                    return false;
                }
            }
            return false;
        }

        /** White space and (nested) comments. */
        private void skipCfws() {
            int depth = 0;
            int comment = at;
            while (at < end) {
                char c = s.charAt(at);
                if (c == '(') {
                    comment = depth == 0 ? at : comment;
                    depth++;
                } else if (c == ')' && depth > 0) {
                    depth--;
                } else if (c == '\\' && depth > 0) {
                    at++;
                } else if (depth == 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    return;
                }
                at++;
            }
            if (depth > 0) {
                at = comment; // unclosed: the next '<' may be inside
            }
        }

        private boolean take(char wanted) {
            if (at < end && s.charAt(at) == wanted) {
                at++;
                return true;
            }
            return false;
        }

        private static boolean isAtext(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
                    || ATEXT_SPECIALS.indexOf(c) >= 0;
        }
    }
}
