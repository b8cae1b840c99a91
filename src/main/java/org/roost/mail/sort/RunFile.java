package org.roost.mail.sort;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The sorted runs a {@link KeyRanker} spilled, one after the other in one file: one descriptor however many
 * runs there are. The file is unlinked as soon as it is made, so none is left behind by a stopped server. A run's
 * place is reserved before it is written, so that several runs are written at once by different threads; a
 * merge reads at most {@link #fanIn} runs at once, each through a buffer of {@code chunkBytes}, merging
 * groups of runs into longer ones first where there are more: what it holds does not grow with the runs.
 */
class RunFile implements Closeable {
    /** Where a run lies in the file. */
    record Run(long start, long length) {
        long end() {
            return start + length;
        }
    }

    private final Path directory;
    private final int fanIn;
    private final int chunkBytes;
    private final List<Run> runs = new ArrayList<>();
    private FileChannel channel;
    private long end;

    RunFile(Path directory, int fanIn, int chunkBytes) {
        this.directory = directory;
        this.fanIn = fanIn;
        this.chunkBytes = chunkBytes;
    }

    /** A place for a run of {@code length} bytes, counted among the runs (to be written through {@link #output}). */
    synchronized Run reserve(long length) throws IOException {
        if (channel == null) {
            var file = Files.createTempFile(directory, "roost-sort-", ".run");
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            Files.deleteIfExists(file);
        }
        var run = new Run(end, length);
        end += length;
        runs.add(run);
        return run;
    }

    /** Writes {@code run}'s records; they must fill it exactly. (A test holds a writer here.) */
    Output output(Run run) {
        return new Output(channel, run, chunkBytes);
    }

    /**
     * Cursors over every run, at most {@link #fanIn} {@code - reserved} of them: where there are more, groups of
     * the runs are merged into longer ones first (written after the others). {@code reserved} leaves room for
     * sources beside the file's.
     */
    synchronized List<KeyCursor> cursors(int reserved) throws IOException {
        int most = Math.max(2, fanIn - reserved);
        while (runs.size() > most) {
            int width = Math.min(fanIn, runs.size());
            var group = new ArrayList<>(runs.subList(0, width));
            runs.subList(0, width).clear();
            long length = group.stream().mapToLong(Run::length).sum();
            var merged = reserve(length);
            try (var out = output(merged)) {
                var heads = heads(group.stream().map(this::cursor).toList());
                while (!heads.isEmpty()) {
                    var head = heads.poll();
                    out.write(head.column, head.row, head.key, 0, head.length);
                    if (head.next()) {
                        heads.add(head);
                    }
                }
            }
        }
        return runs.stream().map(this::cursor).toList();
    }

    /** The cursors that have a record, in a queue by their records. */
    static PriorityQueue<KeyCursor> heads(List<KeyCursor> cursors) throws IOException {
        var heads = new PriorityQueue<KeyCursor>();
        for (var cursor : cursors) {
            if (cursor.next()) {
                heads.add(cursor);
            }
        }
        return heads;
    }

    private KeyCursor cursor(Run run) {
        return new FileCursor(channel, run, chunkBytes);
    }

    @Override
    public synchronized void close() throws IOException {
        runs.clear();
        if (channel != null) {
            channel.close();
        }
    }

    /** Writes records into a reserved run through a buffer, at the run's place (other runs may be written meanwhile). */
    static final class Output implements Closeable {
        private final FileChannel channel;
        private final Run run;
        private final ByteBuffer buffer;
        private long position;

        private Output(FileChannel channel, Run run, int chunkBytes) {
            this.channel = channel;
            this.run = run;
            this.buffer = ByteBuffer.allocate(chunkBytes);
            this.position = run.start();
        }

        void write(int column, int row, byte[] key, int from, int length) throws IOException {
            if (buffer.remaining() < KeyBatch.HEADER) {
                flush();
            }
            buffer.put((byte) column).putInt(row).putInt(length);
            if (buffer.remaining() < length) {
                flush();
            }
            if (length > buffer.capacity()) {
                writeFully(ByteBuffer.wrap(key, from, length));
            } else {
                buffer.put(key, from, length);
            }
        }

        private void flush() throws IOException {
            writeFully(buffer.flip());
            buffer.clear();
        }

        private void writeFully(ByteBuffer bytes) throws IOException {
            if (position + bytes.remaining() > run.end()) {
                throw new IOException("records beyond their run's place");
            }
            while (bytes.hasRemaining()) {
                position += channel.write(bytes, position);
            }
        }

        /** Writes what is buffered; the run must be full. */
        @Override
        public void close() throws IOException {
            flush();
            if (position != run.end()) {
                throw new IOException("a run of " + run.length() + " bytes given " + (position - run.start()));
            }
        }
    }

    /** Reads a run's records through a buffer (positioned reads: the channel's position is not used). */
    private static final class FileCursor extends KeyCursor {
        private final FileChannel channel;
        private final ByteBuffer buffer;
        private long position;
        private final long end;

        FileCursor(FileChannel channel, Run run, int chunkBytes) {
            this.channel = channel;
            this.buffer = ByteBuffer.allocate(chunkBytes).flip();
            this.position = run.start();
            this.end = run.end();
        }

        @Override
        boolean read() throws IOException {
            if (!buffer.hasRemaining() && position == end) {
                return false;
            }
            fill(KeyBatch.HEADER);
            column = buffer.get() & 0xff;
            row = buffer.getInt();
            int size = buffer.getInt();
            if (size < 0) {
                throw new EOFException("a damaged run");
            }
            take(size);
            int buffered = Math.min(size, buffer.remaining());
            buffer.get(key, 0, buffered);
            if (buffered < size) {
                if (size - buffered > buffer.capacity()) {
                    position += readFully(ByteBuffer.wrap(key, buffered, size - buffered));
                } else {
                    fill(size - buffered);
                    buffer.get(key, buffered, size - buffered);
                }
            }
            return true;
        }

        /** At least {@code bytes} (at most the buffer's capacity) buffered, or the run is damaged. */
        private void fill(int bytes) throws IOException {
            if (buffer.remaining() >= bytes) {
                return;
            }
            buffer.compact();
            buffer.limit((int) Math.min(buffer.capacity(), buffer.position() + end - position));
            position += readFully(buffer);
            buffer.flip();
            if (buffer.remaining() < bytes) {
                throw new EOFException("a damaged run");
            }
        }

        private int readFully(ByteBuffer into) throws IOException {
            if (into.remaining() > end - position) {
                throw new EOFException("a damaged run");
            }
            int total = 0;
            while (into.hasRemaining()) {
                int read = channel.read(into, position + total);
                if (read < 0) {
                    throw new EOFException("a damaged run");
                }
                total += read;
            }
            return total;
        }
    }
}
