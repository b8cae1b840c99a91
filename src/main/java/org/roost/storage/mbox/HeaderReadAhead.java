package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the file ahead of a reader that goes through messages in file order reading their headers alone (a
 * FETCH of ENVELOPE over a range, the header reads of SORT and THREAD). After a restart each of those headers is
 * a cold read of its own, a disk request of 0.03 to 3 ms apiece, where the messages lie one after the other:
 * once a header is read right after the message before it, the next {@link #WINDOW} bytes are read in one
 * piece on a thread of its own, and again each time the reader comes within half a window of what was read.
 * Nobody waits for it and what it reads is dropped: it only fills the page cache. One read at a time per
 * mailbox, without locks (a file rewritten meanwhile only makes it read other bytes); a reader out of order
 * starts nothing.
 */
final class HeaderReadAhead {
    /** Bytes read ahead at once: a hundred messages of 10 kB; one request instead of as many. */
    static final int WINDOW = 1 << 20;
    private static final int PIECE = 256 << 10;

    /** Reads {@code [from, to)} of the file, on another thread. */
    interface Reader {
        void read(long from, long to);
    }

    private final Reader reader;
    /** Where the message whose header was read last ends (-1: none yet). */
    private long lastEnd = -1;
    /** What was read ahead last: {@code [readFrom, readTo)}. */
    private long readFrom = -1;
    private long readTo = -1;
    private boolean reading;

    HeaderReadAhead(Reader reader) {
        this.reader = reader;
    }

    /** Reads ahead of {@code file} on a platform thread (a file read would hold a virtual thread's carrier). */
    static HeaderReadAhead of(Path file) {
        var readAhead = new HeaderReadAhead[1];
        readAhead[0] = new HeaderReadAhead((from, to) -> Thread.ofPlatform().daemon().name("mbox-header-read-ahead")
                .start(() -> {
                    try {
                        read(file, from, to);
                    } finally {
                        readAhead[0].done();
                    }
                }));
        return readAhead[0];
    }

    /** The header of the message at {@code offset}, ending at {@code end}, is being read. */
    void reading(long offset, long end) {
        long from;
        long to;
        synchronized (this) {
            boolean next = offset == lastEnd;
            lastEnd = end;
            boolean within = readFrom <= end && end < readTo;
            if (!next || reading || within && end + WINDOW / 2 <= readTo) {
                return;
            }
            from = within ? readTo : end;
            to = end + WINDOW;
            readFrom = within ? readFrom : end;
            readTo = to;
            reading = true;
        }
        reader.read(from, to);
    }

    /** The read started last is over: another may start. */
    synchronized void done() {
        reading = false;
    }

    private static void read(Path file, long from, long to) {
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var buffer = ByteBuffer.allocate(PIECE);
            for (long at = from; at < to; ) {
                int n = channel.read(buffer.clear().limit((int) Math.min(PIECE, to - at)), at);
                if (n <= 0) {
                    return; // the file's end
                }
                at += n;
            }
        } catch (IOException | RuntimeException ignored) {
            // only a hint: the reader reads what it needs itself
        }
    }
}
