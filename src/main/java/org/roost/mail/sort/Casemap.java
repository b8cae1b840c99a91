package org.roost.mail.sort;

import org.roost.mail.mime.SearchText;

/**
 * The i;unicode-casemap collation (RFC 5051 §2): each code point titlecased, then fully
 * decomposed (NFKD), and the results compared as UTF-8 octets, i.e. by code point. SORT and THREAD
 * compare strings with it (RFC 5256 §7).
 */
public final class Casemap {
    private Casemap() {
    }

    /** The "titlecased canonicalized" form of {@code text} (RFC 5051 §2, steps 1-4), as SEARCH matches it. */
    public static String key(String text) {
        return SearchText.fold(text);
    }

    /** i;octet over UTF-8, which is code point order (String.compareTo orders UTF-16 units, which differs above U+FFFF). */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
