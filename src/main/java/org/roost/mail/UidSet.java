package org.roost.mail;

import java.util.Arrays;

/**
 * A set of UIDs as sorted, disjoint, non-adjacent ranges in one primitive array: what a client's
 * UID set becomes once {@code *} is resolved, and what VANISHED reports. Built in O(k log k) for k
 * ranges, combined in linear time, so a set of a million ranges costs milliseconds, never their square.
 */
public final class UidSet {
    private static final UidSet EMPTY = new UidSet(new long[0]);
    /** low0, high0, low1, high1, ...: ascending, each range at least one apart from the next. */
    private final long[] bounds;

    private UidSet(long[] bounds) {
        this.bounds = bounds;
    }

    public static UidSet empty() {
        return EMPTY;
    }

    /** {@code low..high}, empty when {@code high < low}. */
    public static UidSet range(long low, long high) {
        return high < low ? EMPTY : new UidSet(new long[] {low, high});
    }

    /** The UIDs of {@code set}, {@code *} standing for {@code largest}. */
    public static UidSet of(SequenceSet set, long largest) {
        var pairs = new long[set.ranges().size() * 2];
        int n = 0;
        for (var r : set.ranges()) {
            pairs[n++] = r.low(largest);
            pairs[n++] = r.high(largest);
        }
        return ofRanges(pairs);
    }

    /** Single UIDs, in any order. */
    public static UidSet of(long[] uids) {
        var pairs = new long[uids.length * 2];
        for (int i = 0; i < uids.length; i++) {
            pairs[2 * i] = uids[i];
            pairs[2 * i + 1] = uids[i];
        }
        return ofRanges(pairs);
    }

    /** Ranges given as low, high pairs in any order, overlapping or not; UIDs are 32-bit (RFC 3501 §2.3.1.1). */
    public static UidSet ofRanges(long[] pairs) {
        var packed = new long[pairs.length / 2];
        int ranges = 0;
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i] <= pairs[i + 1]) {
                packed[ranges++] = pairs[i] << 32 | pairs[i + 1];
            }
        }
        Arrays.sort(packed, 0, ranges);
        var out = new long[ranges * 2];
        int n = 0;
        for (int i = 0; i < ranges; i++) {
            long low = packed[i] >>> 32;
            long high = packed[i] & 0xFFFF_FFFFL;
            if (n > 0 && low <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], high);
            } else {
                out[n++] = low;
                out[n++] = high;
            }
        }
        return n == 0 ? EMPTY : new UidSet(Arrays.copyOf(out, n));
    }

    /** UIDs in ascending order, the way a mailbox holds them. */
    public interface SortedUids {
        int count();

        long uid(int index);
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** How many ranges (what the text's length goes by). */
    public int ranges() {
        return bounds.length / 2;
    }

    public long low(int range) {
        return bounds[2 * range];
    }

    public long high(int range) {
        return bounds[2 * range + 1];
    }

    /** The lowest UID, or 0 when empty. */
    public long first() {
        return bounds.length == 0 ? 0 : bounds[0];
    }

    /** The highest UID, or 0 when empty. */
    public long last() {
        return bounds.length == 0 ? 0 : bounds[bounds.length - 1];
    }

    public boolean contains(long uid) {
        int lo = 0;
        int hi = ranges() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (uid < low(mid)) {
                hi = mid - 1;
            } else if (uid > high(mid)) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The UIDs in either set. */
    public UidSet union(UidSet other) {
        var pairs = Arrays.copyOf(bounds, bounds.length + other.bounds.length);
        System.arraycopy(other.bounds, 0, pairs, bounds.length, other.bounds.length);
        return ofRanges(pairs);
    }

    /** The UIDs in both sets. */
    public UidSet intersect(UidSet other) {
        var out = new long[bounds.length + other.bounds.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < ranges() && j < other.ranges()) {
            long low = Math.max(low(i), other.low(j));
            long high = Math.min(high(i), other.high(j));
            if (low <= high) {
                out[n++] = low;
                out[n++] = high;
            }
            if (high(i) < other.high(j)) {
                i++;
            } else {
                j++;
            }
        }
        return n == 0 ? EMPTY : new UidSet(Arrays.copyOf(out, n));
    }

    /** The UIDs of this set that {@code present} does not hold: one pass over both. */
    public UidSet without(SortedUids present) {
        var out = new long[Math.max(4, bounds.length)];
        int n = 0;
        int k = 0;
        for (int r = 0; r < ranges(); r++) {
            long from = low(r);
            long high = high(r);
            while (k < present.count() && present.uid(k) < from) {
                k++;
            }
            while (from <= high) {
                long next = k < present.count() ? present.uid(k) : Long.MAX_VALUE;
                long to = Math.min(high, next - 1);
                if (from <= to) {
                    if (n + 2 > out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    out[n++] = from;
                    out[n++] = to;
                }
                if (next > high) {
                    break;
                }
                from = next + 1;
                k++;
            }
        }
        return n == 0 ? EMPTY : new UidSet(Arrays.copyOf(out, n));
    }

    /** The set as IMAP writes it ({@code 1:3,7}); empty text for the empty set. */
    @Override
    public String toString() {
        var sb = new StringBuilder();
        for (int r = 0; r < ranges(); r++) {
            if (r > 0) {
                sb.append(',');
            }
            sb.append(low(r));
            if (high(r) != low(r)) {
                sb.append(':').append(high(r));
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UidSet other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }
}
