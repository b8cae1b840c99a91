package org.roost.bench;

import java.util.List;

/**
 * One IMAP command and everything the server answered to it: the untagged lines in arrival
 * order (a literal is kept as its {@code {n}} marker, its bytes are only counted) and the tagged
 * status line without the tag. This is the unit the {@link ConsistencyChecker} reads, so a
 * checker test is simply a transcript of exchanges.
 */
public record Exchange(String command, List<String> untagged, String tagged, long literalBytes) {

    public Exchange {
        untagged = List.copyOf(untagged);
    }

    /** A transcript entry without literals, as tests write them. */
    public static Exchange of(String command, String tagged, String... untagged) {
        return new Exchange(command, List.of(untagged), tagged, 0);
    }

    public boolean ok() {
        return tagged.regionMatches(true, 0, "OK", 0, 2);
    }

    /** The status word of the tagged line: OK, NO or BAD. */
    public String status() {
        int space = tagged.indexOf(' ');
        return (space < 0 ? tagged : tagged.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
    }
}
