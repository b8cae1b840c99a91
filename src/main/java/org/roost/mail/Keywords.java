package org.roost.mail;

import java.util.Collection;

/** What a keyword may look like: an atom (RFC 3501 {@code flag-keyword}), not a system flag. */
public final class Keywords {

    private static final String ATOM_SPECIALS = "(){%*\"\\]";
    public static final int MAX_LENGTH = 128;

    private Keywords() {
    }

    public static boolean isValid(String keyword) {
        if (keyword == null || keyword.isEmpty() || keyword.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (c <= 0x20 || c >= 0x7f || ATOM_SPECIALS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    public static void check(Collection<String> keywords) throws InvalidKeywordException {
        for (var keyword : keywords) {
            if (!isValid(keyword)) {
                throw new InvalidKeywordException("invalid keyword: " + keyword);
            }
        }
    }
}
