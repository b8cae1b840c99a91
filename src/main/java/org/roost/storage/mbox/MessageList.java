package org.roost.storage.mbox;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.SortedMap;

/**
 * The messages of an mbox in file order, immutable, kept in chunks so that a flag change makes a new list
 * sharing every chunk but the changed messages' ({@link #with}): a STORE on one message of 100,000 copies
 * one chunk and the chunk table, not the whole list. Each chunk counts its messages whose UID the file does
 * not say yet, so asking whether the file says every UID does not pass over every message.
 */
final class MessageList extends AbstractList<MboxMessage> implements RandomAccess {
    private static final int SHIFT = 9;
    /** Messages per chunk: a change copies this many references, a list of n messages holds n / CHUNK chunks. */
    static final int CHUNK = 1 << SHIFT;
    private static final MessageList EMPTY = new MessageList(new Chunk[0], 0);

    private record Chunk(MboxMessage[] messages, int unwritten) {
        static Chunk of(MboxMessage[] messages) {
            int unwritten = 0;
            for (var m : messages) {
                unwritten += m.uidWritten() ? 0 : 1;
            }
            return new Chunk(messages, unwritten);
        }
    }

    private final Chunk[] chunks;
    private final int size;

    private MessageList(Chunk[] chunks, int size) {
        this.chunks = chunks;
        this.size = size;
    }

    /** {@code messages} as a list of this kind (itself when it is one already). */
    static MessageList of(List<MboxMessage> messages) {
        if (messages instanceof MessageList list) {
            return list;
        }
        int size = messages.size();
        if (size == 0) {
            return EMPTY;
        }
        var all = messages.toArray(MboxMessage[]::new);
        var chunks = new Chunk[(size + CHUNK - 1) >>> SHIFT];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = Chunk.of(Arrays.copyOfRange(all, c << SHIFT, Math.min(size, (c + 1) << SHIFT)));
        }
        return new MessageList(chunks, size);
    }

    @Override
    public MboxMessage get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return chunks[index >>> SHIFT].messages()[index & (CHUNK - 1)];
    }

    @Override
    public int size() {
        return size;
    }

    /** This list with the messages at the given positions replaced; only their chunks are copied. */
    MessageList with(SortedMap<Integer, MboxMessage> replaced) {
        if (replaced.isEmpty()) {
            return this;
        }
        var copy = chunks.clone();
        int chunk = -1;
        MboxMessage[] messages = null;
        for (Map.Entry<Integer, MboxMessage> entry : replaced.entrySet()) {
            int index = entry.getKey();
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException(index);
            }
            if (index >>> SHIFT != chunk) {
                seal(copy, chunk, messages);
                chunk = index >>> SHIFT;
                messages = chunks[chunk].messages().clone();
            }
            messages[index & (CHUNK - 1)] = entry.getValue();
        }
        seal(copy, chunk, messages);
        return new MessageList(copy, size);
    }

    private static void seal(Chunk[] chunks, int chunk, MboxMessage[] messages) {
        if (chunk >= 0) {
            chunks[chunk] = Chunk.of(messages);
        }
    }

    /** The position of the first message whose UID the file does not say, or -1. */
    int firstUnwritten() {
        for (int c = 0; c < chunks.length; c++) {
            if (chunks[c].unwritten() > 0) {
                var messages = chunks[c].messages();
                for (int i = 0; i < messages.length; i++) {
                    if (!messages[i].uidWritten()) {
                        return (c << SHIFT) + i;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * The positions where this list holds another message than {@code earlier} (a list of the same size this
     * one was made from by {@link #with}), looking only into the chunks they do not share; null when there
     * are more than {@code most}, or the sizes differ.
     */
    int[] differences(MessageList earlier, int most) {
        if (earlier.size != size) {
            return null;
        }
        var found = new int[Math.min(most, size)];
        int n = 0;
        for (int c = 0; c < chunks.length; c++) {
            var mine = chunks[c].messages();
            var theirs = earlier.chunks[c].messages();
            if (mine == theirs) {
                continue;
            }
            for (int i = 0; i < mine.length; i++) {
                if (mine[i] != theirs[i]) {
                    if (n == found.length) {
                        return null;
                    }
                    found[n++] = (c << SHIFT) + i;
                }
            }
        }
        return Arrays.copyOf(found, n);
    }

    /** How many chunks this list and {@code other} share (for tests: a flag change copies few). */
    int sharedChunks(MessageList other) {
        int shared = 0;
        for (int c = 0; c < Math.min(chunks.length, other.chunks.length); c++) {
            shared += chunks[c] == other.chunks[c] ? 1 : 0;
        }
        return shared;
    }
}
