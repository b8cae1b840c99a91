package org.roost.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the records of a change log ({@link IndexLog}) front to back through a buffer of one record's
 * bound, each checked against its CRC-32C: a log of tens of MB is never on the heap at once.
 */
final class LogRecords implements AutoCloseable {
    /** The largest record (length, type and payload, CRC) fits, with room to read ahead. */
    private static final int BUFFER = 128 * 1024;
    private final FileChannel channel;
    private final long end;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).limit(0);
    /** The file position of the buffer's limit: where the next read starts. */
    private long next;
    /** The file position after the last record returned. */
    private long position = IndexFormat.LOG_HEADER_SIZE;

    private LogRecords(FileChannel channel, long end) {
        this.channel = channel;
        this.end = end;
    }

    /**
     * The records of {@code file} up to {@code end} (at most its size), or null when there is no log of
     * {@code generation} (absent, another generation, a damaged header).
     */
    static LogRecords open(Path file, long generation, long end) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
        var records = new LogRecords(channel, Math.min(end, channel.size()));
        var header = records.ensure(IndexFormat.LOG_HEADER_SIZE) ? records.buffer : null;
        if (header == null || header.getInt(0) != IndexFormat.LOG_MAGIC || header.getInt(4) != IndexFormat.VERSION
                || header.getLong(8) != generation || header.getInt(16) != IndexFormat.crc(header.array(), 0, 16)) {
            channel.close();
            return null;
        }
        header.position(IndexFormat.LOG_HEADER_SIZE);
        return records;
    }

    /**
     * The next record's type and payload (valid until the next call), or null at the end and at the first
     * record that is torn or damaged.
     */
    ByteBuffer next() throws IOException {
        if (!ensure(4 + 1 + 4)) {
            return null;
        }
        int length = buffer.getInt(buffer.position());
        if (length < 1 || length > IndexLog.MAX_RECORD || !ensure(4 + length + 4)) {
            return null;
        }
        int at = buffer.position();
        if (buffer.getInt(at + 4 + length) != IndexFormat.crc(buffer.array(), at, 4 + length)) {
            return null;
        }
        buffer.position(at + 4 + length + 4);
        position += 4 + length + 4;
        return buffer.slice(at + 4, length);
    }

    /** The file position after the last record returned. */
    long position() {
        return position;
    }

    /** Whether every byte up to the end was a record returned. */
    boolean atEnd() {
        return position == end;
    }

    /** Makes at least {@code n} bytes remain in the buffer, reading no further than {@link #end}; false at the end. */
    private boolean ensure(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return true;
        }
        buffer.compact();
        while (buffer.position() < n && next < end) {
            buffer.limit((int) Math.min(buffer.capacity(), buffer.position() + end - next));
            int read = channel.read(buffer, next);
            if (read < 0) {
                break; // shorter than it was: the end
            }
            next += read;
        }
        boolean enough = buffer.position() >= n;
        buffer.flip();
        return enough;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
