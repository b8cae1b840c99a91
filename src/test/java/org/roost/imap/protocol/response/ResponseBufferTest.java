package org.roost.imap.protocol.response;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The response buffer keeps bytes in order across its drains and writes numbers as Long.toString does. */
class ResponseBufferTest {
    @Test
    void writesNumbersAsDecimalAscii() throws IOException {
        var random = new Random(42);
        var expected = new StringBuilder();
        var sink = new ByteArrayOutputStream();
        var buffer = new ResponseBuffer(sink);
        long[] edges = {0, 9, 10, 99, 100, 4_294_967_295L, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (long n : edges) {
            buffer.number(n).write(' ');
            expected.append(n).append(' ');
        }
        for (int i = 0; i < 100_000; i++) { // more than the buffer holds: numbers straddle drains
            long n = random.nextLong(0, 1L << random.nextInt(1, 63));
            buffer.number(n).write(' ');
            expected.append(n).append(' ');
        }
        buffer.drain();
        assertEquals(expected.toString(), sink.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void keepsOrderAroundWritesLargerThanItself() throws IOException {
        var sink = new ByteArrayOutputStream();
        var buffer = new ResponseBuffer(sink);
        var large = new byte[200_000];
        new Random(7).nextBytes(large);
        var expected = new ByteArrayOutputStream();
        var middle = new byte[5000]; // more than the buffer's first size
        new Random(8).nextBytes(middle);
        buffer.write(middle, 0, middle.length);
        expected.writeBytes(middle);
        buffer.ascii("* 1 FETCH (BODY[] {200000}").endLine();
        expected.writeBytes("* 1 FETCH (BODY[] {200000}\r\n".getBytes(StandardCharsets.US_ASCII));
        buffer.write(large, 0, large.length);
        expected.writeBytes(large);
        buffer.write(')');
        buffer.endLine();
        expected.writeBytes(")\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(expected.size() - 3, sink.size(), "the tail waits in the buffer until drained");
        buffer.drain();
        assertArrayEquals(expected.toByteArray(), sink.toByteArray());
    }
}
