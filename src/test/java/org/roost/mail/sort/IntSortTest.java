package org.roost.mail.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IntSort#byValue}, whose counting and packed primitive sorts must order exactly as the stable
 * comparator sort: seeded values narrow (ranks, with ties: counted), wide (dates: packed), negative (-1:
 * newer than a ranking) and extreme (spans that overflow a long: the comparator sort), both directions.
 */
class IntSortTest {

    @Test
    void ordersByValueAsTheStableComparatorSortDoes() {
        var random = new Random(15);
        long[][] ranges = {{-1, 5}, {-1, 2_000}, {0, 1_000_000}, {1_600_000_000L, 1_800_000_000L},
            {Long.MIN_VALUE, Long.MAX_VALUE}, {0, Long.MAX_VALUE / 2}};
        for (int round = 0; round < 300; round++) {
            var range = ranges[round % ranges.length];
            int n = random.nextInt(0, 3_000);
            var values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = range[0] == Long.MIN_VALUE ? random.nextLong() : random.nextLong(range[0], range[1]);
            }
            for (boolean reverse : new boolean[] {false, true}) {
                var expected = IntSort.identity(n);
                IntSort.sort(expected, reverse ? (a, b) -> Long.compare(values[b], values[a])
                        : (a, b) -> Long.compare(values[a], values[b]));
                assertArrayEquals(expected, IntSort.byValue(values, reverse), "round " + round + " reverse " + reverse);
            }
        }
    }
}
