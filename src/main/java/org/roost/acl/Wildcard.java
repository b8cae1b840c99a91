package org.roost.acl;

/**
 * Dovecot's {@code wildcard_match}: {@code *} for any run of characters, {@code ?} for one. Greedy with one
 * backtracking point, so a pattern of many stars costs at most its length times the name's, never more.
 */
final class Wildcard {

    private Wildcard() {}

    static boolean matches(String name, String pattern) {
        int n = 0;
        int p = 0;
        int starAt = -1;
        int resumeAt = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                n++;
                p++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                resumeAt = n;
            } else if (starAt >= 0) {
                p = starAt + 1;
                n = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
