package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Arrays;
import org.roost.net.ProtocolViolation;

/**
 * A {@code partial-range} of RFC 9394 §4: which results of a SEARCH (or messages of a UID FETCH) to return,
 * counted from 1 in mailbox order ({@code 1:500}), or from the last one backwards ({@code -1:-100}); the
 * two ends in either order.
 *
 * @param low     the smaller end (1-based)
 * @param high    the larger end
 * @param fromEnd counted from the last result backwards
 * @param wire    the range as the client wrote it, which the answer repeats
 */
public record PartialRange(long low, long high, boolean fromEnd, String wire) {

    /** {@code partial-range} at the reader's position. */
    static PartialRange parse(ImapReader reader) throws IOException, ProtocolViolation, ImapParseException {
        var text = reader.chars(c -> Chars.isDigit(c) || c == ':' || c == '-', "a partial range");
        boolean fromEnd = text.startsWith("-");
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new ImapParseException("Invalid partial range " + Arguments.printable(text));
        }
        long a = number(text.substring(0, colon), fromEnd, text);
        long b = number(text.substring(colon + 1), fromEnd, text);
        return new PartialRange(Math.min(a, b), Math.max(a, b), fromEnd, text);
    }

    /** One end: a nz-number (32 bits, RFC 3501 §9), after a minus sign for a range from the end. */
    private static long number(String part, boolean fromEnd, String text) throws ImapParseException {
        if (part.startsWith("-") != fromEnd) {
            throw new ImapParseException("Invalid partial range " + Arguments.printable(text)); // both ends or neither
        }
        var digits = fromEnd ? part.substring(1) : part;
        long n = digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Chars::isDigit)
                ? 0 : Long.parseLong(digits);
        if (n < 1 || n > 0xFFFFFFFFL) {
            throw new ImapParseException("Invalid partial range " + Arguments.printable(text));
        }
        return n;
    }

    /** The part of {@code all} (ascending, as found) this range names, still ascending; empty when none. */
    public int[] of(int[] all) {
        long from = fromEnd ? all.length - high : low - 1;
        long to = fromEnd ? all.length - low + 1 : high;
        int start = (int) Math.max(0, Math.min(all.length, from));
        int end = (int) Math.max(start, Math.min(all.length, to));
        return Arrays.copyOfRange(all, start, end);
    }

    @Override
    public String toString() {
        return wire;
    }
}
