package org.roost.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Issues the disk reads that opening a mailbox's index makes all at once, so that after a restart (a
 * cold page cache) their latencies overlap instead of adding up: the opening reads the head of
 * {@code roost.index} and its keyword names at its end, then {@code roost.index.log}, then
 * {@code roost.modseq}, one after the other, and before them the storage reads its own (the mbox map;
 * see {@link org.roost.storage.MailStore#indexDirectory}). Each read runs on a platform thread of its
 * own and nobody waits for it: the opening then finds the pages in the page cache, or waits for the
 * read already under way. Not virtual threads: a file read holds its carrier, and traced after a restart
 * the four reads ran one after the other on one carrier (0.5 to 1 ms each, cold), as the opening's own
 * would have; a short-lived thread costs tens of microseconds. At most {@link #SPAN} bytes are read per
 * place; a missing or unreadable file is simply not read.
 */
final class IndexReadAhead {
    /** Bytes read at each place: the index's header and its keyword names, a log or a history of usual size. */
    static final int SPAN = 64 * 1024;

    private IndexReadAhead() {
    }

    /** Starts reading what opening the index files in {@code directory} will read. */
    static void start(Path directory) {
        var index = directory.resolve(IndexFormat.INDEX_FILE);
        read(index, false);
        read(index, true); // the keyword names
        read(directory.resolve(IndexFormat.LOG_FILE), false);
        read(directory.resolve(ModseqHistory.FILE), false);
    }

    private static void read(Path file, boolean atTheEnd) {
        Thread.ofPlatform().daemon().name("index-read-ahead").start(() -> {
            try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.read(ByteBuffer.allocateDirect(SPAN), atTheEnd ? Math.max(0, channel.size() - SPAN) : 0);
            } catch (IOException | RuntimeException ignored) {
                // the opening reads the file itself and reports what is wrong with it
            }
        });
    }
}
