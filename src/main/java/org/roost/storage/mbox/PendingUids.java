package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * UIDs (and the UIDVALIDITY) given to messages whose {@code X-UID} the mbox does not carry yet: the
 * rewrite that writes them into the file runs after the scan that gave them (in the background when
 * it is large, like Dovecot's lazy writes), and until it is done this small file keeps them, so that
 * a crash in between changes no UID a client was told. A message is known again by its offset and its
 * {@code From_} line's checksum; one moved by another program meanwhile gets a new UID.
 */
record PendingUids(long uidValidity, long nextUid, List<Entry> entries) {

    static final String FILE = "roost.mbox.pending";

    record Entry(long offset, int fromCrc, long uid) {
        long uidIf(int crc) {
            return crc == fromCrc ? uid : -1;
        }
    }

    PendingUids {
        entries = List.copyOf(entries);
    }

    /** The entries by the offset of their message. */
    Map<Long, Entry> byOffset() {
        var map = new HashMap<Long, Entry>();
        entries.forEach(e -> map.put(e.offset(), e));
        return map;
    }

    /** Reads the file; null when it is missing or damaged (then nothing was pending, or it is lost). */
    static PendingUids read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException none) {
            return null;
        }
        int lastLine = text.lastIndexOf('\n', text.length() - 2);
        if (!text.endsWith("\n") || lastLine < 0 || !text.substring(lastLine + 1).trim().equals(crc(text.substring(0,
                lastLine + 1)))) {
            return null;
        }
        var lines = text.substring(0, lastLine).split("\n");
        try {
            var head = lines[0].split(" ");
            var entries = new ArrayList<Entry>();
            for (int i = 1; i < lines.length; i++) {
                var f = lines[i].split(" ");
                entries.add(new Entry(Long.parseLong(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2])));
            }
            return new PendingUids(Long.parseLong(head[0]), Long.parseLong(head[1]), entries);
        } catch (RuntimeException damaged) {
            return null;
        }
    }

    /** Writes the file whole (a new file renamed over the old) and makes it durable. */
    void write(Path file, boolean fsync) throws IOException {
        var out = new StringBuilder().append(uidValidity).append(' ').append(nextUid).append('\n');
        entries.forEach(e -> out.append(e.offset()).append(' ').append(e.fromCrc()).append(' ').append(e.uid())
                .append('\n'));
        out.append(crc(out.toString())).append('\n');
        var temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, out, StandardCharsets.US_ASCII);
        if (fsync) {
            try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String crc(String text) {
        var crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.US_ASCII));
        return Long.toHexString(crc.getValue());
    }
}
