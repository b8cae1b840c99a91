package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever mix of writes and flushes, the bytes arrive in order, and only a flush or a full buffer sends them. */
class ReleasingBufferedOutputStreamTest {
    /** Counts the writes that reach the stream below. */
    private static final class Sink extends ByteArrayOutputStream {
        int writes;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }
    }

    @Test
    void randomWritesArriveInOrder() throws IOException {
        var random = new Random(29);
        var sink = new Sink();
        var expected = new ByteArrayOutputStream();
        OutputStream out = new ReleasingBufferedOutputStream(sink, 64);
        for (int i = 0; i < 5000; i++) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    int b = random.nextInt(256);
                    out.write(b);
                    expected.write(b);
                }
                case 1, 2 -> {
                    var bytes = new byte[random.nextInt(150)];
                    random.nextBytes(bytes);
                    int off = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
                    out.write(bytes, off, bytes.length - off);
                    expected.write(bytes, off, bytes.length - off);
                }
                default -> {
                    out.flush();
                    assertArrayEquals(expected.toByteArray(), sink.toByteArray(), "after a flush, all is sent");
                }
            }
        }
        out.flush();
        assertArrayEquals(expected.toByteArray(), sink.toByteArray());
    }

    @Test
    void smallWritesWaitForTheFlush() throws IOException {
        var sink = new Sink();
        var out = new ReleasingBufferedOutputStream(sink, 64);
        out.write("* OK one\r\n".getBytes());
        out.write("a OK done\r\n".getBytes());
        assertEquals(0, sink.size(), "nothing sent before the flush");
        out.flush();
        assertEquals(1, sink.writes, "one write for the whole response");
        out.write(new byte[100], 0, 100);
        assertEquals(2, sink.writes, "a write larger than the buffer goes straight through");
    }
}
