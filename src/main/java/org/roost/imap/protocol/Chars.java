package org.roost.imap.protocol;

/** Character classes of RFC 3501 §9 (formal syntax). */
public final class Chars {
    private Chars() {}

    public static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** ATOM-CHAR: any CHAR except atom-specials: ( ) { SP CTL list-wildcards quoted-specials resp-specials. */
    public static boolean isAtomChar(int c) {
        if (c <= 0x1f || c >= 0x7f) {
            return false;
        }
        return switch (c) {
            case '(', ')', '{', ' ', '%', '*', '"', '\\', ']' -> false;
            default -> true;
        };
    }

    /** ASTRING-CHAR = ATOM-CHAR / resp-specials. */
    public static boolean isAstringChar(int c) {
        return isAtomChar(c) || c == ']';
    }

    /** list-char = ATOM-CHAR / list-wildcards / resp-specials. */
    public static boolean isListChar(int c) {
        return isAstringChar(c) || c == '%' || c == '*';
    }
}
