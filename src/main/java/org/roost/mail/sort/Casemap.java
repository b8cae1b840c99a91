package org.roost.mail.sort;

import java.text.Normalizer;

/**
 * The i;unicode-casemap collation (RFC 5051 §2): each code point titlecased, then fully
 * decomposed (NFKD), and the results compared as UTF-8 octets, i.e. by code point. SORT and THREAD
 * compare strings with it (RFC 5256 §7).
 */
public final class Casemap {
    private Casemap() {
    }

    /** The "titlecased canonicalized" form of {@code text} (RFC 5051 §2, steps 1-4). */
    public static String key(String text) {
        if (isAsciiUpper(text)) {
            return text;
        }
        var out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.append((char) (cp >= 'a' && cp <= 'z' ? cp - 32 : cp));
            } else {
                var titled = Character.toString(Character.toTitleCase(cp));
                out.append(Normalizer.normalize(titled, Normalizer.Form.NFKD));
            }
        });
        return out.toString();
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

    private static boolean isAsciiUpper(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || c >= 'a' && c <= 'z') {
                return false;
            }
        }
        return true;
    }
}
