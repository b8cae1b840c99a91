package org.roost.imap.protocol.response;

import java.nio.charset.StandardCharsets;
import org.roost.imap.protocol.Chars;

/** Chooses the wire form of a string in a response: atom, quoted string, or literal (RFC 3501 §4.3). */
public final class ImapStrings {
    private ImapStrings() {}

    /** An astring: bare when every character may stand in an atom, else quoted, else a literal. */
    public static String astring(String s) {
        if (!s.isEmpty() && s.chars().allMatch(Chars::isAstringChar) && !s.equalsIgnoreCase("NIL")) {
            return s;
        }
        return quoted(s);
    }

    /** A quoted string when possible (7-bit, no CR/LF/NUL), else a literal. */
    public static String quoted(String s) {
        var sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0x7e) {
                return literal(s);
            }
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static String literal(String s) {
        var bytes = s.getBytes(StandardCharsets.UTF_8);
        return "{" + bytes.length + "}\r\n" + new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
