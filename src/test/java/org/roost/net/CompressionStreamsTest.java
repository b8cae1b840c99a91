package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The DEFLATE layers of a compressed connection (RFC 4978), against java.util.zip as the client. */
class CompressionStreamsTest {

    /** Input that hands out the chunks given and fails rather than block when they are used up. */
    private static final class Chunks extends InputStream {
        private final Queue<byte[]> chunks = new ArrayDeque<>();
        private byte[] current = new byte[0];
        private int position;

        Chunks(List<byte[]> chunks) {
            this.chunks.addAll(chunks);
        }

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == current.length) {
                if (chunks.isEmpty()) {
                    throw new AssertionError("a read that would block");
                }
                current = chunks.remove();
                position = 0;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return current.length - position;
        }
    }

    private static byte[] deflated(String text, int flush) {
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(text.getBytes(StandardCharsets.ISO_8859_1));
        if (flush == Deflater.FULL_FLUSH) {
            deflater.finish();
        }
        var out = new ByteArrayOutputStream();
        var chunk = new byte[1024];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, flush == Deflater.FULL_FLUSH ? Deflater.NO_FLUSH : flush);
            out.write(chunk, 0, n);
        } while (n == chunk.length || !deflater.needsInput() && !deflater.finished());
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] syncFlushed(String text) {
        return deflated(text, Deflater.SYNC_FLUSH);
    }

    /** Whatever the history kept, every flush hands the client all that was written, and the stream stays one. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 4096, Deflate.MAX_HISTORY})
    void everyFlushDeliversAllWrittenAsOneStream(int history) throws Exception {
        var random = new Random(history);
        var wire = new ByteArrayOutputStream();
        var output = new DeflatingOutput(wire, 6, history);
        var client = new Inflater(true);
        var written = new ByteArrayOutputStream();
        var inflated = new ByteArrayOutputStream();
        for (int response = 0; response < 200; response++) {
            for (int part = random.nextInt(4); part >= 0; part--) {
                var bytes = response(random);
                output.write(bytes, 0, bytes.length);
                written.writeBytes(bytes);
            }
            output.flush();
            client.setInput(wire.toByteArray());
            wire.reset();
            inflateAll(client, inflated);
            assertEquals(written.size(), inflated.size(), "response " + response);
        }
        assertArrayEquals(written.toByteArray(), inflated.toByteArray());
    }

    private static byte[] response(Random random) {
        if (random.nextInt(10) == 0) {
            var binary = new byte[random.nextInt(40_000)];
            random.nextBytes(binary);
            return binary;
        }
        return ("* " + random.nextInt(1000) + " FETCH (FLAGS (\\Seen) UID " + random.nextInt() + ")\r\n")
                .repeat(1 + random.nextInt(50)).getBytes(StandardCharsets.US_ASCII);
    }

    private static void inflateAll(Inflater inflater, ByteArrayOutputStream out) throws DataFormatException {
        var chunk = new byte[4096];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
    }

    /**
     * A command ends where its sync flush's empty stored block begins: once the line is read, nothing is said to be
     * available, so the buffer above does not wait for the client's next command to hand over this one.
     */
    @Test
    void aFlushedCommandIsReadWithoutWaitingForMore() throws IOException {
        var command = syncFlushed("a1 NOOP\r\n");
        var split = List.of(Arrays.copyOf(command, command.length - 2),
                Arrays.copyOfRange(command, command.length - 2, command.length));
        for (var chunks : List.of(List.of(command), split)) {
            var in = new ReleasingBufferedInputStream(new InflatingInput(new Chunks(chunks), 2048), 2048);
            var line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                line.write(b);
            }
            assertEquals("a1 NOOP\r", line.toString(StandardCharsets.US_ASCII));
            assertEquals(0, in.available());
        }
    }

    /** A bomb inflates a buffer at a time: the reader above decides when it has read too much. */
    @Test
    void aBombInflatesOneBufferAtATime() throws IOException {
        var bomb = syncFlushed("x".repeat(4 * 1024 * 1024));
        var in = new ReleasingBufferedInputStream(new InflatingInput(new Chunks(List.of(bomb)), 2048), 2048);
        assertEquals('x', in.read());
        assertEquals(2047, in.available());
    }

    @Test
    void garbageIsCorrupt() {
        var garbage = new byte[64];
        new Random(4978).nextBytes(garbage);
        garbage[0] = (byte) 0xff;
        var in = new InflatingInput(new Chunks(List.of(garbage)), 2048);
        assertThrows(CorruptCompression.class, in::read);
    }

    /** After a final block, the client's bytes are plain again (UNAUTHENTICATE, RFC 8437 §4.1): finish hands them over. */
    @Test
    void finishReturnsThePlainBytesAfterTheFinalBlock() throws IOException {
        var compressed = deflated("a UNAUTHENTICATE\r\n", Deflater.FULL_FLUSH);
        var plain = "b LOGIN bob builder\r\n".getBytes(StandardCharsets.US_ASCII);
        var both = Arrays.copyOf(compressed, compressed.length + plain.length);
        System.arraycopy(plain, 0, both, compressed.length, plain.length);
        var in = new InflatingInput(new Chunks(List.of(both)), 2048);
        assertEquals("a UNAUTHENTICATE\r\n", new String(in.readNBytes(18), StandardCharsets.US_ASCII));
        assertArrayEquals(plain, in.finish());
    }

    @Test
    void finishTakesTheLastSyncFlushAndNothingElse() throws IOException {
        var command = syncFlushed("a UNAUTHENTICATE\r\n");
        var in = new InflatingInput(new Chunks(List.of(command)), 16);
        assertEquals("a UNAUTHENTICATE\r\n", new String(in.readNBytes(18), StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[0], in.finish());
    }

    @Test
    void endedStreamsRefuseToWork() {
        var in = new InflatingInput(new Chunks(List.of(syncFlushed("a NOOP\r\n"))), 2048);
        in.end();
        assertThrows(IOException.class, in::read);
        var out = new DeflatingOutput(new ByteArrayOutputStream(), 6, 0);
        out.end();
        assertThrows(IOException.class, () -> out.write(new byte[1], 0, 1));
    }
}
