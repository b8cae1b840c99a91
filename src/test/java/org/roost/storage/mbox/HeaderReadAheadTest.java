package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What is read ahead of a reader of headers: only for one going in file order, never twice, one read at a time. */
class HeaderReadAheadTest {
    private static final long SIZE = 10_000; // each message's length

    private final List<long[]> reads = new ArrayList<>();
    private final HeaderReadAhead readAhead = new HeaderReadAhead((from, to) -> reads.add(new long[] {from, to}));

    private void header(long message) {
        readAhead.reading(message * SIZE, (message + 1) * SIZE);
    }

    @Test
    void aReaderInFileOrderIsReadAheadOfInWindowsThatFollowEachOther() {
        header(0);
        assertTrue(reads.isEmpty(), "one header tells no order yet");
        header(1);
        assertEquals(List.of(2 * SIZE + ":" + (2 * SIZE + HeaderReadAhead.WINDOW)), ranges());
        readAhead.done();
        long messages = 3 * HeaderReadAhead.WINDOW / SIZE;
        for (long m = 2; m < messages; m++) {
            header(m);
            readAhead.done();
        }
        var ranges = reads.stream().map(r -> r.clone()).toList();
        assertTrue(ranges.size() >= 4, "reads ahead as the reader goes: " + ranges());
        for (int i = 1; i < ranges.size(); i++) {
            assertEquals(ranges.get(i - 1)[1], ranges.get(i)[0], "each window starts where the last ended: " + ranges());
        }
        long readTo = ranges.getLast()[1];
        assertTrue(readTo > messages * SIZE + HeaderReadAhead.WINDOW / 2, "stays ahead of the reader: " + ranges());
        assertTrue(readTo <= messages * SIZE + HeaderReadAhead.WINDOW, "never more than a window ahead: " + ranges());
    }

    @Test
    void oneReadAtATime() {
        for (long m = 0; m < 3 * HeaderReadAhead.WINDOW / SIZE; m++) {
            header(m); // done() never called: the first read is still under way
        }
        assertEquals(1, reads.size(), ranges().toString());
    }

    @Test
    void readersOutOfOrderStartNothing() {
        var random = new Random(20);
        header(500);
        header(500); // the same message again
        for (long m = 499; m > 400; m--) {
            header(m); // backwards
        }
        for (int i = 0; i < 1_000; i++) {
            long m = random.nextLong(100_000);
            header(m);
            header(m + 2); // a gap of one message
        }
        assertTrue(reads.isEmpty(), ranges().toString());
    }

    @Test
    void aReaderThatStartsOverElsewhereIsReadAheadOfThere() {
        header(1_000);
        header(1_001);
        readAhead.done();
        header(10); // a later FETCH of earlier messages, within nothing read ahead
        header(11);
        assertEquals(List.of(1_002 * SIZE + ":" + (1_002 * SIZE + HeaderReadAhead.WINDOW),
                12 * SIZE + ":" + (12 * SIZE + HeaderReadAhead.WINDOW)), ranges());
    }

    private List<String> ranges() {
        return reads.stream().map(r -> r[0] + ":" + r[1]).toList();
    }
}
