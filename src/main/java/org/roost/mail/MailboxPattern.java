package org.roost.mail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LIST/LSUB mailbox pattern (RFC 3501 §6.3.8): {@code *} matches any characters, {@code %} any
 * but the hierarchy delimiter, every other character itself; the five letters of a leading
 * {@code INBOX} level of a name match case-insensitively (§5.1), as Dovecot's imap-match does.
 *
 * <p>Runs of wildcards are folded first ({@code %%} to {@code %}, any run holding a {@code *} to
 * {@code *}), then a name is matched by simulating the pattern as a nondeterministic automaton,
 * all states at once in a bit set: time proportional to name length × pattern length / 64, no
 * recursion, no backtracking, whatever the client sends. Compiled once per command; immutable.
 */
public final class MailboxPattern {
    private static final String INBOX = "INBOX";
    private static final long[] NONE = new long[0];

    private final char delimiter;
    /** Tokens after folding; state {@code i} means "the first i tokens matched". */
    private final int tokens;
    private final long[] star;
    private final long[] percent;
    /** Per literal character, the states it advances. */
    private final Map<Character, long[]> literal = new HashMap<>();
    /** The same for the letters of a leading INBOX in a name, in either case. */
    private final long[][] inboxLetter = new long[INBOX.length()][];

    private MailboxPattern(String folded, char delimiter) {
        this.delimiter = delimiter;
        this.tokens = folded.length();
        int words = (tokens + 1 + 63) / 64; // states 0..tokens
        star = new long[words];
        percent = new long[words];
        for (int i = 0; i < tokens; i++) {
            char c = folded.charAt(i);
            var mask = switch (c) {
                case '*' -> star;
                case '%' -> percent;
                default -> literal.computeIfAbsent(c, k -> new long[words]);
            };
            set(mask, i);
        }
        for (int k = 0; k < INBOX.length(); k++) {
            char upper = INBOX.charAt(k);
            inboxLetter[k] = or(literalMask(upper), literalMask(Character.toLowerCase(upper)), words);
        }
    }

    /** {@code pattern} is the reference name and the mailbox pattern joined (RFC 3501 §6.3.8). */
    public static MailboxPattern compile(String pattern, char delimiter) {
        return new MailboxPattern(fold(pattern), delimiter);
    }

    /** How many {@code *} and {@code %} a pattern holds, before folding. */
    public static int wildcards(String pattern) {
        int n = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '%') {
                n++;
            }
        }
        return n;
    }

    /** {@code %*}, {@code *%} and {@code **} are {@code *}; {@code %%} is {@code %}. */
    static String fold(String pattern) {
        var out = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); ) {
            char c = pattern.charAt(i);
            if (c != '*' && c != '%') {
                out.append(c);
                i++;
                continue;
            }
            boolean anyStar = false;
            for (; i < pattern.length() && (pattern.charAt(i) == '*' || pattern.charAt(i) == '%'); i++) {
                anyStar |= pattern.charAt(i) == '*';
            }
            out.append(anyStar ? '*' : '%');
        }
        return out.toString();
    }

    public boolean matches(String name) {
        return run(name, null);
    }

    /**
     * The parents of {@code name} (its prefixes that end before a delimiter) that the pattern
     * matches, shortest first: what LSUB shows as {@code \Noselect} for a subscribed name whose
     * own level the pattern does not reach (RFC 3501 §6.3.9). Found in the same single pass.
     */
    public List<String> matchingParents(String name) {
        var parents = new ArrayList<String>(0);
        run(name, parents);
        return parents;
    }

    /** Simulates the automaton over {@code name}; collects matching parents when asked. */
    private boolean run(String name, List<String> parents) {
        var states = new long[star.length];
        var scratch = new long[star.length];
        set(states, 0);
        closeOverWildcards(states);
        int inboxEnd = startsWithInboxLevel(name) ? INBOX.length() : 0;
        for (int pos = 0; pos < name.length(); pos++) {
            char c = name.charAt(pos);
            if (c == delimiter && parents != null && pos > 0 && accepts(states)) {
                parents.add(name.substring(0, pos));
            }
            step(c, pos < inboxEnd ? inboxLetter[pos] : literalMask(c), states, scratch);
            var swap = states;
            states = scratch;
            scratch = swap;
        }
        return accepts(states);
    }

    /** One character: literals advance, {@code *} stays, {@code %} stays unless it is the delimiter. */
    private void step(char c, long[] advancing, long[] from, long[] to) {
        boolean hierarchyBoundary = c == delimiter;
        long carry = 0;
        for (int w = 0; w < from.length; w++) {
            long advanced = w < advancing.length ? from[w] & advancing[w] : 0;
            long staying = from[w] & (hierarchyBoundary ? star[w] : star[w] | percent[w]);
            to[w] = advanced << 1 | carry | staying;
            carry = advanced >>> 63;
        }
        closeOverWildcards(to);
    }

    /**
     * A wildcard also matches nothing: a state before one reaches the state after it. Folding left
     * no two wildcards side by side, so one shift closes the set.
     */
    private void closeOverWildcards(long[] states) {
        long carry = 0;
        for (int w = 0; w < states.length; w++) {
            long before = states[w] & (star[w] | percent[w]);
            states[w] |= before << 1 | carry;
            carry = before >>> 63;
        }
    }

    private boolean accepts(long[] states) {
        return (states[tokens >>> 6] & 1L << (tokens & 63)) != 0;
    }

    private boolean startsWithInboxLevel(String name) {
        return name.regionMatches(true, 0, INBOX, 0, INBOX.length())
                && (name.length() == INBOX.length() || name.charAt(INBOX.length()) == delimiter);
    }

    private long[] literalMask(char c) {
        return literal.getOrDefault(c, NONE);
    }

    private static long[] or(long[] a, long[] b, int words) {
        var out = new long[words];
        for (int w = 0; w < words; w++) {
            out[w] = (w < a.length ? a[w] : 0) | (w < b.length ? b[w] : 0);
        }
        return out;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << (i & 63);
    }
}
