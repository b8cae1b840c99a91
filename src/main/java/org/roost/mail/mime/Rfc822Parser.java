package org.roost.mail.mime;

/**
 * RFC 5322 / RFC 2045 lexical scanner over one unfolded header value. Strings hold raw header bytes,
 * one char per byte (ISO-8859-1), so 8-bit bytes pass through untouched.
 *
 * <p>The return convention mirrors Dovecot's rfc822-parser so that ENVELOPE and BODYSTRUCTURE of
 * broken headers come out byte-identical: {@code -1} = syntax error, {@code 0} = value ended,
 * {@code 1} = more input follows. Whitespace and comments after a token are skipped.
 */
final class Rfc822Parser {
    private static final byte[] ATEXT = new byte[256];

    static {
        // 1 = atext, 2 = alpha/digit/8-bit, 4 = atext that is a MIME tspecial ('/', '=', '?')
        for (int c = 0; c < 256; c++) {
            ATEXT[c] = (byte) (c >= 128 || Character.isLetterOrDigit((char) c) && c < 128 ? 2 : 0);
        }
        for (char c : "!#$%&'*+-^_`{|}~".toCharArray()) {
            ATEXT[c] = 1;
        }
        for (char c : "/=?".toCharArray()) {
            ATEXT[c] = 4;
        }
    }

    private final String s;
    private final int end;
    int pos;
    private final StringBuilder lastComment;
    /** What a NUL in a quoted string, comment or domain literal becomes; null keeps it. */
    String nulReplacement;

    Rfc822Parser(String s, boolean keepComments) {
        this.s = s;
        this.end = s.length();
        this.lastComment = keepComments ? new StringBuilder() : null;
    }

    static boolean isAtext(char c) {
        return c < 256 && ATEXT[c] != 0;
    }

    private static boolean isTokenChar(char c) {
        return c < 256 && (ATEXT[c] & 3) != 0;
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** Current char, or NUL past the end (the C original reads its terminator there). */
    char cur() {
        return pos < end ? s.charAt(pos) : '\0';
    }

    StringBuilder lastComment() {
        return lastComment;
    }

    int skipComment() {
        if (lastComment != null) {
            lastComment.setLength(0);
        }
        int level = 1;
        int start = ++pos;
        for (; pos < end; pos++) {
            char c = s.charAt(pos);
            switch (c) {
                case '\0' -> {
                    if (lastComment != null && nulReplacement != null) {
                        lastComment.append(s, start, pos).append(nulReplacement);
                        start = pos + 1;
                    }
                }
                case '(' -> level++;
                case ')' -> {
                    if (--level == 0) {
                        if (lastComment != null) {
                            lastComment.append(s, start, pos);
                        }
                        pos++;
                        return pos < end ? 1 : 0;
                    }
                }
                case '\n' -> {
                    if (lastComment != null) {
                        int stop = pos > start && s.charAt(pos - 1) == '\r' ? pos - 1 : pos;
                        lastComment.append(s, start, stop);
                        start = pos + 1;
                    }
                }
                case '\\' -> {
                    pos++;
                    if (pos >= end) {
                        return -1;
                    }
                    char n = s.charAt(pos);
                    if (n == '\r' || n == '\n' || n == '\0') {
                        pos--; // not an escape: the backslash stays
                    } else {
                        if (lastComment != null) {
                            lastComment.append(s, start, pos - 1);
                        }
                        start = pos;
                    }
                }
                default -> {
                    // part of the comment
                }
            }
        }
        return -1;
    }

    int skipLwsp() {
        while (pos < end) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
                continue;
            }
            if (c != '(') {
                break;
            }
            if (skipComment() < 0) {
                return -1;
            }
        }
        return pos < end ? 1 : 0;
    }

    int atom(StringBuilder out) {
        if (pos >= end || !isAtext(s.charAt(pos))) {
            return -1;
        }
        int start = pos++;
        while (pos < end && isAtext(s.charAt(pos))) {
            pos++;
        }
        out.append(s, start, pos);
        return pos < end ? skipLwsp() : 0;
    }

    /** dot-atom (RFC 5322 §3.2.3), whitespace allowed around the dots (RFC 822). */
    int dotAtom(StringBuilder out) {
        if (pos >= end || !isAtext(s.charAt(pos))) {
            return -1;
        }
        int start = pos++;
        while (pos < end) {
            if (isAtext(s.charAt(pos))) {
                pos++;
                continue;
            }
            if (start == pos) {
                return -1; // empty atom, as in "a..b"
            }
            out.append(s, start, pos);
            int ret = skipLwsp();
            if (ret <= 0) {
                return ret;
            }
            if (s.charAt(pos) != '.') {
                return 1;
            }
            pos++;
            out.append('.');
            if (skipLwsp() <= 0) {
                return -1;
            }
            start = pos;
        }
        out.append(s, start, pos);
        return 0;
    }

    /**
     * Lenient local-part: atoms and dots in any order ("a..b", "a."), as Dovecot accepts for
     * ENVELOPE; 0 when the input ends after a dot.
     */
    int nonStrictDotAtom(StringBuilder out) {
        int ret = -1;
        do {
            while (cur() == '.') {
                out.append('.');
                pos++;
                if (pos >= end) {
                    return 0;
                }
                ret = 1;
            }
            if (cur() == '@') {
                break;
            }
            ret = atom(out);
        } while (ret > 0 && cur() == '.');
        return ret;
    }

    int mimeToken(StringBuilder out) {
        int start = pos;
        while (pos < end && (isTokenChar(s.charAt(pos)) || s.charAt(pos) == '.')) {
            pos++;
        }
        out.append(s, start, pos);
        return pos < end ? skipLwsp() : 0;
    }

    int quotedString(StringBuilder out) {
        pos++;
        int start = pos;
        for (; pos < end; pos++) {
            char c = s.charAt(pos);
            switch (c) {
                case '\0' -> start = replaceNul(out, start);
                case '"' -> {
                    out.append(s, start, pos);
                    pos++;
                    return skipLwsp();
                }
                case '\n' -> start = unfold(out, start);
                case '\\' -> {
                    pos++;
                    if (pos >= end) {
                        return -1;
                    }
                    char n = s.charAt(pos);
                    if (n == '\r' || n == '\n' || n == '\0') {
                        pos--; // not an escape: the backslash stays
                    } else {
                        out.append(s, start, pos - 1);
                        start = pos;
                    }
                }
                default -> {
                    // quoted text
                }
            }
        }
        return -1;
    }

    /** A NUL in quoted text or a domain literal, replaced when this parser replaces NULs; returns where the text resumes. */
    private int replaceNul(StringBuilder out, int start) {
        if (nulReplacement == null) {
            return start;
        }
        out.append(s, start, pos).append(nulReplacement);
        return pos + 1;
    }

    /** A line break in quoted text or a domain literal is unfolded (CRLF or LF left out); returns where the text resumes. */
    private int unfold(StringBuilder out, int start) {
        int stop = pos > start && s.charAt(pos - 1) == '\r' ? pos - 1 : pos;
        out.append(s, start, stop);
        return pos + 1;
    }

    private int atomOrDot(StringBuilder out) {
        int start = pos;
        while (pos < end && (isAtext(s.charAt(pos)) || s.charAt(pos) == '.')) {
            pos++;
        }
        out.append(s, start, pos);
        return pos < end ? skipLwsp() : 0;
    }

    int phrase(StringBuilder out) {
        if (pos >= end) {
            return 0;
        }
        if (s.charAt(pos) == '.') {
            return -1;
        }
        for (;;) {
            int ret = cur() == '"' ? quotedString(out) : atomOrDot(out);
            if (ret <= 0) {
                return ret;
            }
            char c = cur();
            if (!isAtext(c) && c != '"' && c != '.') {
                break;
            }
            out.append(' ');
        }
        return skipLwsp();
    }

    private int domainLiteral(StringBuilder out) {
        int start = pos++;
        for (; pos < end; pos++) {
            char c = s.charAt(pos);
            switch (c) {
                case '\0' -> start = replaceNul(out, start);
                case '[' -> {
                    return -1;
                }
                case ']' -> {
                    out.append(s, start, pos + 1);
                    pos++;
                    return skipLwsp();
                }
                case '\n' -> start = unfold(out, start);
                case '\\' -> {
                    pos++;
                    if (pos >= end) {
                        return -1;
                    }
                    char n = s.charAt(pos);
                    if (n == '\r' || n == '\n' || n == '\0') {
                        out.append(s, start, pos);
                        start = pos;
                        pos--;
                    }
                }
                default -> {
                    // literal text
                }
            }
        }
        return -1;
    }

    /** Expects the current char to be '@'. */
    int domain(StringBuilder out) {
        pos++;
        if (skipLwsp() <= 0) {
            return -1;
        }
        return cur() == '[' ? domainLiteral(out) : dotAtom(out);
    }

    /**
     * type "/" subtype. On error {@code out} keeps what Dovecot 2.3 salvages, so that BODYSTRUCTURE
     * agrees: a lone type at the end of the value stays (e.g. "text"), anything else is dropped
     * (e.g. "text;x=y", "text/", "text/plain garbage" give an empty type and subtype).
     */
    int contentType(StringBuilder out) {
        int start = out.length();
        if (skipLwsp() <= 0) {
            return -1;
        }
        int ret = mimeToken(out);
        if (out.length() == start) {
            return -1;
        }
        if (ret <= 0) {
            return -1;
        }
        if (cur() != '/') {
            out.setLength(start);
            return -1;
        }
        pos++;
        if (skipLwsp() <= 0) {
            out.setLength(start);
            return -1;
        }
        out.append('/');
        int subStart = out.length();
        ret = mimeToken(out);
        if (ret < 0 || out.length() == subStart || (pos < end && s.charAt(pos) != ';')) {
            out.setLength(start);
            return -1;
        }
        return ret;
    }

    /** One {@code ; attribute=value}; result 0 = no more, -1 = broken, 1 = ok (key/value set). */
    int contentParam(String[] keyValue) {
        keyValue[0] = null;
        keyValue[1] = null;
        if (pos >= end) {
            return 0;
        }
        if (s.charAt(pos) != ';') {
            return -1;
        }
        pos++;
        if (skipLwsp() <= 0) {
            return -1;
        }
        StringBuilder key = new StringBuilder();
        if (mimeToken(key) <= 0) {
            return -1;
        }
        if (cur() != '=') {
            return -1;
        }
        pos++;
        StringBuilder value = new StringBuilder();
        int ret = skipLwsp();
        if (ret <= 0) {
            // broken or no value
        } else if (s.charAt(pos) == '"') {
            ret = quotedString(value);
        } else if (s.charAt(pos) == '=') {
            // broken input seen in the wild: name==?utf-8?b?...?=
            while (pos < end && ";\t\r\n ".indexOf(s.charAt(pos)) < 0) {
                value.append(s.charAt(pos++));
            }
        } else {
            ret = mimeToken(value);
        }
        keyValue[0] = key.toString();
        keyValue[1] = value.toString();
        return ret < 0 ? -1 : 1;
    }
}
