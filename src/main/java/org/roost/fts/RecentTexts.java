package org.roost.fts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.zip.CRC32C;

/**
 * The texts of the messages indexed last, by their bytes: a message delivered to ten users is ten copies (hard
 * links) in ten mailboxes, caught up one after the other, and each copy after the first takes the texts of the
 * first instead of being parsed, decoded and folded again (attachments' text included, which Tika reads).
 * A copy is known by its bytes alone, compared whole, so two messages never share texts unless they are the same.
 * Holds at most {@code maxBytes} (messages and texts, a character counted as two bytes); a message larger than a
 * quarter of it is not kept.
 */
final class RecentTexts {
    private final long maxBytes;
    private final LinkedHashMap<Key, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** Reads the texts of a message from its bytes. */
    @FunctionalInterface
    interface TextReader {
        MessageDocument.Texts read(InputStream normalized) throws IOException;
    }

    private record Key(int length, int checksum) {}

    private record Kept(byte[] message, MessageDocument.Texts texts) {
        long bytes() {
            return message.length + 2 * texts.chars();
        }
    }

    RecentTexts(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * The texts of the message {@code normalized} holds: those of an earlier message with the same bytes, or
     * what {@code reader} reads (then kept, if the message is small enough).
     */
    synchronized MessageDocument.Texts texts(InputStream normalized, TextReader reader) throws IOException {
        int largest = (int) Math.min(Integer.MAX_VALUE - 16, maxBytes / 4);
        byte[] head = normalized.readNBytes(largest + 1);
        if (head.length > largest) {
            return reader.read(new SequenceInputStream(new ByteArrayInputStream(head), normalized));
        }
        var key = new Key(head.length, checksum(head));
        var earlier = kept.get(key);
        if (earlier != null && Arrays.equals(earlier.message(), head)) {
            return earlier.texts();
        }
        var texts = reader.read(new ByteArrayInputStream(head));
        keep(key, new Kept(head, texts));
        return texts;
    }

    private void keep(Key key, Kept entry) {
        var replaced = kept.put(key, entry);
        bytes += entry.bytes() - (replaced == null ? 0 : replaced.bytes());
        Iterator<Kept> eldest = kept.values().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().bytes();
            eldest.remove();
        }
    }

    private static int checksum(byte[] message) {
        var crc = new CRC32C();
        crc.update(message);
        return (int) crc.getValue();
    }
}
