package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The order in which files without a UID get theirs: delivery seconds, then microseconds, then key,
 * as a plain comparator sort gives it, for names of every shape another program may write (many in
 * the same second, without microseconds, without any number, with numbers too long to read).
 */
class DeliveryOrderTest {
    /** The reference reading of a name: the same rules, as patterns (at most 18 digits; none is last). */
    private static final Pattern SECONDS = Pattern.compile("(\\d{0,18})");
    private static final Pattern MICROSECONDS = Pattern.compile("[^.]*\\.M(\\d{0,18})");

    @Test
    void filesAreOrderedAsTheReferenceComparatorOrdersThem() {
        var random = new Random(20261206L);
        for (int round = 0; round < 50; round++) {
            int count = 1 + random.nextInt(2_000);
            var listing = new Listing.Builder(count, false);
            for (int i = 0; listing.build().size() < count; i++) {
                listing.add(name(random, i) + (random.nextBoolean() ? ":2,S" : ""));
            }
            var built = listing.build();
            int[] rows = IntStream.range(0, built.size()).filter(row -> random.nextInt(4) > 0).toArray();
            var expected = Arrays.stream(rows).boxed()
                    .sorted(Comparator.comparingLong((Integer row) -> seconds(built.key(row)))
                            .thenComparingLong(row -> microseconds(built.key(row)))
                            .thenComparing(built::key))
                    .mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, DeliveryOrder.sorted(built, rows), "round " + round);
        }
    }

    private static String name(Random random, int i) {
        long second = 1_700_000_000L + random.nextInt(20); // many files in the same second
        return switch (random.nextInt(6)) {
            case 0 -> second + ".M" + random.nextInt(1_000_000) + "P" + i + ".host";
            case 1 -> second + ".M" + random.nextInt(3) + "P" + i + ".host,S=" + random.nextInt(9999);
            case 2 -> second + "." + i + "_" + random.nextInt(9) + ".procmail";         // no microseconds
            case 3 -> "msg" + i;                                                         // no number at all
            case 4 -> "9".repeat(19 + random.nextInt(5)) + "." + i;                      // beyond 18 digits
            default -> (second << 30) + ".M" + random.nextInt(5) + "." + i;              // seconds beyond 2^42
        };
    }

    private static long seconds(String key) {
        var matcher = SECONDS.matcher(key);
        return matcher.lookingAt() ? number(matcher.group(1)) : Long.MAX_VALUE;
    }

    private static long microseconds(String key) {
        var matcher = MICROSECONDS.matcher(key);
        return matcher.lookingAt() ? number(matcher.group(1)) : 0;
    }

    private static long number(String digits) {
        return digits.isEmpty() ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
