package org.roost.sieve;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The stores already made of one delivery that stores its message more than once (fileinto and keep, several
 * fileinto, {@code :copy}), so that when the process dies after some of them and before its reply, the delivery the
 * MTA retries makes only the stores still missing (docs/configuration.md, "Sieve", for what counts as the same
 * delivery). Kept in {@code ~/.roost-delivery-journal}: one line {@code EXPIRY KEY UID MAILBOX CRC32} appended after each
 * store (synced with {@code fsync}), under the file lock the server and {@code roost deliver} share; rewritten by
 * rename without the lines that expired once they are most of the file, and to the newest {@code maxEntries} when it
 * holds more. A damaged line (a write a crash cut short, another program's) is skipped, logged, and left out when
 * the file is rewritten; a journal that cannot be read or written is logged and the delivery goes on without it:
 * the worst a journal can cause is a store made twice, never one left out.
 */
public final class StoreJournal {
    static final String FILE = ".roost-delivery-journal";
    /** Longer lines are no journal's: a mailbox name is far shorter. */
    static final int MAX_LINE = 4096;
    private static final System.Logger LOG = System.getLogger(StoreJournal.class.getName());
    private static final Pattern LINE = Pattern.compile("((\\d{1,19}) ([0-9a-f]{32}) (\\d{1,19}) (\\S+)) ([0-9a-f]{8})");

    /** A store made: the mailbox and the UID the message got there. */
    public record Made(String mailbox, long uid) {}

    private final Path file;
    private final String key;
    private final boolean fsync;
    private final Duration window;
    private final int maxEntries;
    private final Clock clock;

    StoreJournal(Path home, String key, boolean fsync, Duration window, int maxEntries, Clock clock) {
        this.file = home.resolve(FILE);
        this.key = key;
        this.fsync = fsync;
        this.window = window;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /**
     * What makes two deliveries the same: the user, envelope sender and recipient, and the message bytes as the
     * MTA sent them (without the trace fields delivery adds, which name the time and the connection).
     */
    static String key(String user, String sender, String recipient, MessageSource message) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        digest.update((user + "\0" + sender + "\0" + recipient + "\0").getBytes(StandardCharsets.UTF_8));
        try (var in = new DigestInputStream(message.open(), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** The stores this delivery made before, oldest first; none when the journal cannot be read. */
    public List<Made> made() {
        try {
            return HomeFiles.locked(file, () -> {
                return read().stream().filter(line -> line.key.equals(key)).map(Line::made).toList();
            });
        } catch (IOException e) {
            LOG.log(Level.WARNING, "delivery journal {0} cannot be read, so a retried delivery may store twice: {1}",
                    file, e.toString());
            return List.of();
        }
    }

    /** Notes a store just made; a journal that cannot be written is only logged. */
    public void record(String mailbox, long uid) {
        var fields = clock.instant().plus(window).getEpochSecond() + " " + key + " " + uid + " "
                + URLEncoder.encode(mailbox, StandardCharsets.UTF_8);
        var line = (fields + " " + checksum(fields) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            HomeFiles.locked(file, () -> {
                try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
                    boolean cut = endsCut(channel);
                    channel.position(channel.size());
                    HomeFiles.write(channel, cut ? concat(new byte[] {'\n'}, line) : line);
                    if (fsync) {
                        channel.force(false);
                    }
                }
                return null;
            });
        } catch (IOException e) {
            LOG.log(Level.WARNING, "delivery journal {0} cannot be written, so a retried delivery may store {1} "
                    + "again: {2}", file, mailbox, e.toString());
        }
    }

    /** Whether the file ends inside a line (a write a crash cut short): the next line must not join it. */
    private static boolean endsCut(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return false;
        }
        var last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) != '\n';
    }

    private static byte[] concat(byte[] first, byte[] second) {
        var joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    private record Line(long expiry, String key, long uid, String mailbox, String text) {
        Made made() {
            return new Made(mailbox, uid);
        }
    }

    /** Reads the unexpired lines (the newest {@code maxEntries}), rewriting the file when that is due. */
    private List<Line> read() throws IOException {
        long now = clock.instant().getEpochSecond();
        var lines = new ArrayList<Line>();
        int total = 0;
        int damaged = 0;
        try (var in = new BufferedInputStream(Files.newInputStream(file))) {
            for (String text; (text = nextLine(in)) != null; total++) {
                var line = parse(text);
                if (line == null) {
                    damaged++;
                } else if (line.expiry > now) {
                    lines.add(line);
                }
            }
        } catch (NoSuchFileException none) {
            return lines;
        }
        var kept = lines.size() > maxEntries ? List.copyOf(lines.subList(lines.size() - maxEntries, lines.size()))
                : lines;
        if (damaged > 0) {
            LOG.log(Level.WARNING, "delivery journal {0}: {1} damaged lines left out", file, damaged);
        }
        if (damaged > 0 || kept.size() < lines.size() || total > 2 * lines.size() + 64) {
            var text = new StringBuilder();
            kept.forEach(line -> text.append(line.text).append('\n'));
            HomeFiles.replace(file, text.toString().getBytes(StandardCharsets.US_ASCII), fsync);
        }
        return kept;
    }

    /** The next line without its LF; a line longer than {@link #MAX_LINE} comes back as "" (damaged). */
    private static String nextLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        boolean tooLong = false;
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        // a last line without its LF was cut short by a crash: damaged, whatever it holds
        return tooLong || b < 0 ? "" : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A line's CRC-32, so that damage never reads as another store. */
    private static String checksum(String fields) {
        var crc = new CRC32();
        crc.update(fields.getBytes(StandardCharsets.ISO_8859_1));
        return "%08x".formatted(crc.getValue());
    }

    private static Line parse(String text) {
        var m = LINE.matcher(text);
        if (!m.matches() || !checksum(m.group(1)).equals(m.group(6))) {
            return null;
        }
        try {
            return new Line(Long.parseLong(m.group(2)), m.group(3), Long.parseLong(m.group(4)),
                    URLDecoder.decode(m.group(5), StandardCharsets.UTF_8), text);
        } catch (IllegalArgumentException damaged) { // NumberFormatException too
            return null;
        }
    }
}
