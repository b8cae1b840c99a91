package org.roost.sieve;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code :matches} (RFC 5228 §2.7.1): {@code *} is any sequence, {@code ?} one character, {@code \} quotes the
 * next one. Each {@code *} takes as little as it can (RFC 5229 §3.2), and only the latest {@code *} is ever widened,
 * so a match costs at most text length × pattern length steps, whatever the pattern (no backtracking blow-up).
 */
final class Wildcard {
    private Wildcard() {}

    /** Work done, reported now and then, so that the caller can end a match that takes too long. */
    @FunctionalInterface
    interface Budget {
        void spend() throws SieveRuntimeException;
    }

    /** The text each wildcard matched, in order ({@code ${1}}, {@code ${2}}…); null when the text does not match. */
    static List<String> match(String pattern, String text, Comparator comparator, Budget budget)
            throws SieveRuntimeException {
        var tokens = compile(pattern);
        var starts = new int[tokens.length()];
        var captures = new ArrayList<String>();
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        int capturesAtStar = 0;
        long work = 0;
        while (t < text.length()) {
            if ((++work & 1023) == 0) {
                budget.spend();
            }
            if (p < tokens.length() && tokens.charAt(p) == STAR) {
                star = p++;
                starText = t;
                starts[star] = t;
                capturesAtStar = captures.size();
                captures.add("");
            } else if (p < tokens.length() && tokens.charAt(p) == ANY) {
                captures.add(String.valueOf(text.charAt(t)));
                p++;
                t++;
            } else if (p < tokens.length() && comparator.same(literal(tokens.charAt(p)), text.charAt(t))) {
                p++;
                t++;
            } else if (star >= 0) {
                // widen the latest star by one character and try again from there
                p = star + 1;
                t = ++starText;
                while (captures.size() > capturesAtStar + 1) {
                    captures.removeLast();
                }
                captures.set(capturesAtStar, text.substring(starts[star], t));
            } else {
                return null;
            }
        }
        while (p < tokens.length() && tokens.charAt(p) == STAR) {
            captures.add("");
            p++;
        }
        return p == tokens.length() ? captures : null;
    }

    /** Stand-ins for unquoted wildcards in the compiled pattern; literal text keeps its characters. */
    private static final char STAR = '\uE000';
    private static final char ANY = '\uE001';
    private static final char QUOTED_STAR = '\uE002';
    private static final char QUOTED_ANY = '\uE003';

    private static String compile(String pattern) {
        var out = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                char next = pattern.charAt(++i);
                out.append(next == '*' ? QUOTED_STAR : next == '?' ? QUOTED_ANY : next);
            } else {
                out.append(c == '*' ? STAR : c == '?' ? ANY : c);
            }
        }
        return out.toString();
    }

    private static char literal(char token) {
        return token == QUOTED_STAR ? '*' : token == QUOTED_ANY ? '?' : token;
    }
}
