package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever mix of reads, skips, marks and resets, the bytes come out in order; and once all that
 * arrived is read, no buffer is held, so that the wait for the next command costs none.
 */
class ReleasingBufferedInputStreamTest {
    /**
     * Hands out its bytes in chunks of random size, as a socket does; {@code available()} tells
     * only the rest of the current chunk, and a read never crosses into the next one.
     */
    private static final class Chunked extends InputStream {
        private final byte[] data;
        private final Random random;
        private int position;
        private int chunkEnd;
        int reads;

        Chunked(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        private void arrive() {
            if (position == chunkEnd && position < data.length) {
                chunkEnd = Math.min(data.length, position + 1 + random.nextInt(300));
            }
        }

        @Override
        public int read() {
            arrive();
            reads++;
            return position < chunkEnd ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            arrive();
            reads++;
            if (position == chunkEnd) {
                return -1;
            }
            int n = Math.min(len, chunkEnd - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return chunkEnd - position;
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        var bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void randomReadsSkipsAndMarksKeepTheBytesInOrder() throws IOException {
        for (long seed = 0; seed < 40; seed++) {
            var random = new Random(seed);
            byte[] data = randomBytes(random, 20_000);
            var in = new ReleasingBufferedInputStream(new Chunked(data, random), 64);
            var got = new ByteArrayOutputStream();
            int position = 0;
            while (position < data.length) {
                switch (random.nextInt(5)) {
                    case 0 -> {
                        got.write(in.read());
                        position++;
                    }
                    case 1 -> {
                        var b = new byte[1 + random.nextInt(200)];
                        int n = in.read(b, 0, b.length);
                        got.write(b, 0, n);
                        position += n;
                    }
                    case 2 -> {
                        long skipped = in.skip(1 + random.nextInt(100));
                        got.write(data, position, (int) skipped);
                        position += (int) skipped;
                    }
                    case 3 -> { // the probe of Connection.clientGone()
                        in.mark(1);
                        int b = in.read();
                        assertEquals(data[position] & 0xff, b, "seed " + seed);
                        in.reset();
                    }
                    default -> {
                        int limit = 1 + random.nextInt(64);
                        in.mark(limit);
                        byte[] ahead = in.readNBytes(Math.min(limit, data.length - position));
                        in.reset();
                        assertArrayEquals(Arrays.copyOfRange(data, position, position + ahead.length), ahead,
                                "seed " + seed);
                    }
                }
            }
            assertEquals(-1, in.read());
            assertArrayEquals(data, got.toByteArray(), "seed " + seed);
        }
    }

    @Test
    void noBufferIsHeldOnceWhatArrivedIsRead() throws IOException {
        var random = new Random(7);
        byte[] data = "a NOOP\r\nb IDLE\r\n".getBytes();
        var in = new ReleasingBufferedInputStream(new Chunked(data, random), 2048);
        assertFalse(in.holdsBuffer());
        assertEquals('a', in.read());
        assertTrue(in.holdsBuffer(), "the rest of what arrived is buffered");
        in.readNBytes(data.length - 1);
        assertFalse(in.holdsBuffer(), "all read: the buffer is gone");
        in.mark(1);
        assertEquals(-1, in.read());
        in.reset();
        assertEquals(-1, in.read());
    }

    @Test
    void largeReadsOfAnEmptyBufferGoStraightThrough() throws IOException {
        var random = new Random(3);
        byte[] data = randomBytes(random, 10_000);
        var source = new Chunked(data, random);
        var in = new ReleasingBufferedInputStream(source, 16);
        var got = new ByteArrayOutputStream();
        var chunk = new byte[1000];
        int reads = 0;
        for (int n; (n = in.read(chunk, 0, chunk.length)) > 0; reads++) {
            got.write(chunk, 0, n);
            assertFalse(in.holdsBuffer(), "never buffered");
        }
        assertArrayEquals(data, got.toByteArray());
        assertEquals(reads + 1, source.reads, "one read below for each, and one for the end");
    }

    @Test
    void aResetWithoutAMarkFails() {
        var in = new ReleasingBufferedInputStream(InputStream.nullInputStream(), 8);
        assertThrows(IOException.class, in::reset);
    }
}
