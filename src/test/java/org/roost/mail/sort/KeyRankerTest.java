package org.roost.mail.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ranks made in bounded memory equal ranks counted over the keys held whole, however many runs the
 * buffer spills (seeded loops), with identical keys, all distinct keys, empty keys and keys larger than the
 * run; the runs go to one unlinked file, however many there are, and are merged in groups past the fan-in;
 * a full run is written while other threads go on adding; the string keys order as {@link Casemap#compare};
 * no run file stays behind.
 */
class KeyRankerTest {
    @TempDir
    Path runs;

    @Test
    void ranksInRunsEqualRanksOfTheWholeSeededLoop() throws IOException {
        for (int seed = 0; seed < 20; seed++) {
            var random = new Random(seed);
            int n = 1 + random.nextInt(3000);
            int columns = 1 + random.nextInt(4);
            var keys = new String[columns][n];
            for (var column : keys) {
                int distinct = 1 + random.nextInt(n);
                for (int row = 0; row < n; row++) {
                    column[row] = randomText(random, random.nextInt(distinct));
                }
            }
            int buffer = 64 + random.nextInt(4000); // from a run per record or two up to a few runs
            try (var ranker = new KeyRanker(runs, buffer)) {
                boolean rowAtOnce = seed % 2 == 1; // a row's keys in every column at once, or one by one
                for (int row : shuffled(random, n)) {
                    var rowKeys = new byte[columns][];
                    for (int c = 0; c < columns; c++) {
                        rowKeys[c] = KeyRanker.key(keys[c][row]);
                        if (!rowAtOnce) {
                            ranker.add(c, row, rowKeys[c]);
                        }
                    }
                    if (rowAtOnce) {
                        ranker.add(row, rowKeys);
                    }
                }
                var merge = ranker.ranks();
                for (int c = 0; c < columns; c++) {
                    var ranks = new int[n];
                    int count = merge.column(c, ranks);
                    assertArrayEquals(expectedRanks(keys[c]), ranks, "seed " + seed + " column " + c);
                    assertEquals(new TreeSet<>(Arrays.asList(keys[c])).size(), count);
                }
            }
            assertEquals(0, Files.list(runs).count(), "run files are gone");
        }
    }

    /** Texts of one seed: a number spelled with letters beyond ASCII, above U+FFFF and NUL, so equal numbers give equal texts. */
    private static String randomText(Random random, int value) {
        // a zero byte: a key and the same with zeros more share their first bytes padded with zeros
        var alphabet = new String[] {"", "a", "B", "é", "\u4e2d", "\ud83d\ude00", "z", "\ud800", "\u0000"};
        var text = new StringBuilder();
        for (int v = value; v > 0; v /= alphabet.length) {
            text.append(alphabet[v % alphabet.length]);
        }
        return text.toString();
    }

    private static int[] shuffled(Random random, int n) {
        var rows = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = rows[i];
            rows[i] = rows[j];
            rows[j] = swap;
        }
        return rows;
    }

    private static int[] expectedRanks(String[] keys) {
        var distinct = new TreeSet<String>(Casemap::compare);
        distinct.addAll(Arrays.asList(keys));
        var sorted = distinct.toArray(String[]::new);
        return Arrays.stream(keys).mapToInt(key -> Arrays.binarySearch(sorted, key, Casemap::compare)).toArray();
    }

    @Test
    void aMillionIdenticalKeysShareRankZero() throws IOException {
        int n = 1_000_000;
        try (var ranker = new KeyRanker(runs, 1 << 20)) {
            var key = KeyRanker.key("Same subject");
            for (int row = 0; row < n; row++) {
                ranker.add(0, row, key);
            }
            var ranks = new int[n];
            Arrays.fill(ranks, -1);
            assertEquals(1, ranker.ranks().column(0, ranks));
            assertTrue(Arrays.stream(ranks).allMatch(rank -> rank == 0));
        }
    }

    @Test
    void emptyKeysFirstAndKeysLargerThanTheBuffer() throws IOException {
        var big = "x".repeat(10 << 20); // a 10 MB header value, the buffer 1 MB
        var keys = new String[] {big + "b", "", "x", big, big + "a", ""};
        try (var ranker = new KeyRanker(runs, 1 << 20)) {
            for (int row = 0; row < keys.length; row++) {
                ranker.add(3, row, KeyRanker.key(keys[row]));
            }
            var ranks = new int[keys.length];
            assertEquals(5, ranker.ranks().column(3, ranks));
            assertArrayEquals(new int[] {4, 0, 1, 2, 3, 0}, ranks);
        }
    }

    @Test
    void aRunBoundOfATenthSpillsToOneUnlinkedFileAndRanksTheSame() throws IOException {
        int n = 20_000;
        var random = new Random(7);
        var keys = new String[n];
        for (int row = 0; row < n; row++) {
            keys[row] = randomText(random, random.nextInt(n / 3));
        }
        long bytes = Arrays.stream(keys).mapToLong(key -> 9 + KeyRanker.key(key).length).sum();
        var whole = ranks(keys, Integer.MAX_VALUE / 2, false);
        assertArrayEquals(expectedRanks(keys), whole);
        assertArrayEquals(whole, ranks(keys, (int) (bytes / 10), true));
    }

    /** The ranks of {@code keys} in one column, with runs of {@code runBytes}; whether a run file is open while ranking. */
    private int[] ranks(String[] keys, int runBytes, boolean spills) throws IOException {
        try (var ranker = new KeyRanker(runs, runBytes)) {
            for (int row = 0; row < keys.length; row++) {
                ranker.add(0, row, KeyRanker.key(keys[row]));
            }
            var ranks = new int[keys.length];
            ranker.ranks().column(0, ranks);
            assertEquals(spills ? 1 : 0, openRunFiles(), "run files open");
            assertEquals(0, Files.list(runs).count(), "the run file is unlinked");
            return ranks;
        }
    }

    /** Descriptors of this process open on unlinked run files in {@link #runs}. */
    private long openRunFiles() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) { // the listing's own descriptor, closed by now
                    return "";
                }
            }).filter(target -> target.startsWith(runs.toString() + "/roost-sort-") && target.endsWith("(deleted)"))
                    .count();
        }
    }

    /** Thousands of runs of distinct keys: one descriptor, merged in groups of the fan-in first, ranked right. */
    @Test
    void thousandsOfRunsOfDistinctKeysTakeOneDescriptor() throws IOException {
        int n = 30_000;
        var keys = new String[n];
        var order = shuffled(new Random(3), n);
        for (int row = 0; row < n; row++) {
            keys[row] = String.format("%06d", order[row]);
        }
        try (var ranker = new KeyRanker(runs, KeyRanker.MIN_RUN_BYTES)) { // four records a run: 7,500 runs
            for (int row = 0; row < n; row++) {
                ranker.add(0, row, KeyRanker.key(keys[row]));
            }
            assertEquals(1, openRunFiles());
            var ranks = new int[n];
            assertEquals(n, ranker.ranks().column(0, ranks));
            assertEquals(1, openRunFiles());
            assertArrayEquals(order, ranks);
        }
        assertEquals(0, openRunFiles(), "closed with the ranker");
    }

    /**
     * While one thread sorts and writes a full run (held here in the middle of it), another thread adds a
     * run's worth of keys without waiting for it; the ranks are right once both are through.
     */
    @Test
    void aFullRunIsWrittenWhileOtherThreadsGoOnAdding() throws Exception {
        int runBytes = 4096;
        var writing = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var held = new AtomicBoolean();
        var file = new RunFile(runs, KeyRanker.FAN_IN, 4096) {
            @Override
            Output output(Run run) {
                if (held.compareAndSet(false, true)) {
                    writing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.output(run);
            }
        };
        int perRun = runBytes / (9 + 6); // keys of six bytes
        int n = 3 * perRun;
        try (var ranker = new KeyRanker(file, runBytes)) {
            var first = Thread.ofPlatform().start(() -> {
                try {
                    for (int row = 0; row < perRun + 1; row++) { // the last one fills the run: this thread writes it
                        ranker.add(0, row, KeyRanker.key(String.format("%06d", n - row)));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writing.await();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int row = perRun + 1; row < 2 * perRun; row++) {
                    ranker.add(0, row, KeyRanker.key(String.format("%06d", n - row)));
                }
            }, "another thread's keys wait for no run being written");
            assertTrue(first.isAlive(), "the first run is still being written");
            release.countDown();
            first.join();
            for (int row = 2 * perRun; row < n; row++) {
                ranker.add(0, row, KeyRanker.key(String.format("%06d", n - row)));
            }
            var ranks = new int[n];
            assertEquals(n, ranker.ranks().column(0, ranks));
            for (int row = 0; row < n; row++) {
                assertEquals(n - 1 - row, ranks[row], "row " + row);
            }
        }
    }

    /** Several threads adding rows of several columns at once, with small runs: the ranks of the keys held whole. */
    @Test
    void threadsAddingAtOnceRankAsOne() throws Exception {
        int n = 40_000;
        int columns = 3;
        var random = new Random(5);
        var keys = new String[columns][n];
        for (var column : keys) {
            for (int row = 0; row < n; row++) {
                column[row] = randomText(random, random.nextInt(n / 2));
            }
        }
        try (var ranker = new KeyRanker(runs, 8192)) {
            var failed = new AtomicBoolean();
            var threads = IntStream.range(0, 8).mapToObj(t -> Thread.ofPlatform().start(() -> {
                for (int row = t; row < n; row += 8) {
                    var rowKeys = new byte[columns][];
                    for (int c = 0; c < columns; c++) {
                        rowKeys[c] = KeyRanker.key(keys[c][row]);
                    }
                    try {
                        ranker.add(row, rowKeys);
                    } catch (IOException e) {
                        failed.set(true);
                    }
                }
            })).toList();
            for (var thread : threads) {
                thread.join();
            }
            assertFalse(failed.get());
            var merge = ranker.ranks();
            for (int c = 0; c < columns; c++) {
                var ranks = new int[n];
                merge.column(c, ranks);
                assertArrayEquals(expectedRanks(keys[c]), ranks, "column " + c);
            }
        }
    }

    @Test
    void numbersOrderAsSignedLongs() throws IOException {
        long[] values = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_700_000_000L, -1, 1};
        try (var ranker = new KeyRanker(runs, 1 << 10)) {
            for (int row = 0; row < values.length; row++) {
                ranker.add(0, row, KeyRanker.key(values[row]));
            }
            var ranks = new int[values.length];
            ranker.ranks().column(0, ranks);
            assertArrayEquals(new int[] {2, 1, 0, 5, 4, 1, 3}, ranks);
        }
    }

    @Test
    void stringKeysOrderByCodePointAsCasemapCompares() {
        var texts = new String[] {"", "a", "ab", "\uffff", "\ud83d\ude00", "\ud800", "\udfff", "\u00e9", "\u0800"};
        for (var a : texts) {
            for (var b : texts) {
                assertEquals(Integer.signum(Casemap.compare(a, b)),
                        Integer.signum(Arrays.compareUnsigned(KeyRanker.key(a), KeyRanker.key(b))), a + " / " + b);
            }
        }
    }
}
