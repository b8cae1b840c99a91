package org.roost.storage.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.QuotaLimit;
import org.roost.mail.QuotaUsage;
import org.roost.storage.QuotaStore;

/**
 * Quota bookkeeping in Maildir++'s {@code maildirsize} format, as Courier's {@code deliverquota} and Dovecot's
 * {@code maildir} quota backend keep it, so that each of them can take over a Maildir; the mbox driver keeps
 * the same ledger for its users. What differs between the formats is only how the mail is counted
 * ({@link Counter}).
 *
 * <p>The ledger: a first line with the limits ({@code 1073741824S,10000C}: bytes, messages; either may be
 * missing), then lines of {@code <bytes> <messages>}: the totals at the last recalculation, then one line per
 * change, appended with a single {@code write(2)} in append mode, so several processes may add lines at once.
 * The sums are the usage. The ledger is recalculated from the mail when it is missing, has a line that does
 * not parse or a negative sum, has grown past 5120 bytes, names other limits than the ones in force, or shows
 * the user over quota and was last written more than 15 minutes ago (the Maildir++ rules). A recalculation is
 * written to a temporary file and renamed over the ledger.
 *
 * <p>The override file: limits an administrator set for this user ({@code storage=<bytes> messages=<count>}),
 * which win over the user database's.
 */
public final class QuotaLedger implements QuotaStore {
    private static final long MAX_FILE_BYTES = 5120;
    private static final Duration STALE_WHEN_OVER = Duration.ofMinutes(15);

    /** Counts a user's mail afresh: bytes and messages as the store's messages report them. */
    @FunctionalInterface
    public interface Counter {
        QuotaUsage count() throws IOException;
    }

    private final Path file;
    private final Path overrideFile;
    private final Path temporaryDirectory;
    private final Durability durability;
    private final Counter counter;
    private final ReentrantLock lock = new ReentrantLock();
    /** The usage as of {@link #readStamp}, so that an unchanged file is not read again. */
    private Ledger read;
    private Stamp readStamp;

    /**
     * @param file               the ledger
     * @param overrideFile       the administrator's limits
     * @param temporaryDirectory where new versions of both are written before they are renamed into place (on
     *                           their file system)
     */
    public QuotaLedger(Path file, Path overrideFile, Path temporaryDirectory, Durability durability, Counter counter) {
        this.file = file;
        this.overrideFile = overrideFile;
        this.temporaryDirectory = temporaryDirectory;
        this.durability = durability;
        this.counter = counter;
    }

    /** A file as seen by stat (null when there is none): a write by anyone changes one of these. */
    public record Stamp(Object key, long size, long modifiedMillis) {
        public static Stamp of(Path path) throws IOException {
            try {
                var a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new Stamp(Objects.requireNonNullElse(a.fileKey(), path), a.size(),
                        a.lastModifiedTime().toMillis());
            } catch (NoSuchFileException e) {
                return null;
            }
        }
    }

    /** What {@code maildirsize} says: its limits and the sums of its lines; {@code sound} false when damaged. */
    private record Ledger(QuotaLimit limit, QuotaUsage usage, boolean sound) {}

    @Override
    public QuotaUsage usage(QuotaLimit limit) throws IOException {
        lock.lock();
        try {
            var stamp = stamp(file);
            var ledger = ledger(stamp);
            if (trusted(ledger, stamp, limit)) {
                return ledger.usage();
            }
            return recalculate(limit);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public QuotaUsage record(QuotaLimit limit, long bytes, long messages) throws IOException {
        lock.lock();
        try {
            var stamp = stamp(file);
            var ledger = ledger(stamp);
            if (!trusted(ledger, stamp, limit)) {
                return recalculate(limit); // counts the change too: it is in the mail already
            }
            var usage = ledger.usage().plus(bytes, messages);
            if (bytes == 0 && messages == 0) {
                return usage;
            }
            var line = (bytes + " " + messages + "\n").getBytes(StandardCharsets.US_ASCII);
            Files.write(file, line, StandardOpenOption.APPEND);
            var after = stamp(file);
            if (after != null && stamp.key().equals(after.key()) && after.size() == stamp.size() + line.length) {
                read = new Ledger(ledger.limit(), usage, true); // only our line was added: no need to read it
                readStamp = after;
            }
            return usage;
        } finally {
            lock.unlock();
        }
    }

    /** Counts the mail; the file is written only for a limited user (as Dovecot, which keeps none otherwise). */
    @Override
    public QuotaUsage recalculate(QuotaLimit limit) throws IOException {
        lock.lock();
        try {
            var usage = counter.count();
            if (!limit.limited()) {
                return usage;
            }
            var text = header(limit) + "\n" + usage.storage() + " " + usage.messages() + "\n";
            var temporary = temporary(file);
            try {
                Files.writeString(temporary, text, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
            read = new Ledger(limit, usage, true);
            readStamp = stamp(file);
            return usage;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the recorded usage may stand for {@code limit} (the Maildir++ reasons to recalculate, negated). */
    private static boolean trusted(Ledger ledger, Stamp stamp, QuotaLimit limit) {
        if (ledger == null || !ledger.sound() || stamp.size() > MAX_FILE_BYTES || !ledger.limit().equals(limit)) {
            return false;
        }
        var usage = ledger.usage();
        if (usage.storage() < 0 || usage.messages() < 0) {
            return false;
        }
        boolean over = limit.exceededBy(usage, 0, 0);
        return !over || System.currentTimeMillis() - stamp.modifiedMillis() < STALE_WHEN_OVER.toMillis();
    }

    private Ledger ledger(Stamp stamp) throws IOException {
        if (stamp == null) {
            return null;
        }
        if (stamp.equals(readStamp)) {
            return read;
        }
        if (stamp.size() > MAX_FILE_BYTES) {
            return null;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        }
        var ledger = parse(text);
        read = ledger;
        readStamp = stamp;
        return ledger;
    }

    /** {@code maildirsize} as written by Roost, Courier or Dovecot; damage gives an unsound ledger. */
    static Ledger parse(String text) {
        int newline = text.indexOf('\n');
        if (newline < 0 || !text.endsWith("\n")) {
            return new Ledger(QuotaLimit.NONE, QuotaUsage.ZERO, false);
        }
        var limit = parseHeader(text.substring(0, newline));
        long bytes = 0;
        long messages = 0;
        boolean sound = limit.isPresent();
        for (var line : text.substring(newline + 1).split("\n")) {
            var fields = line.strip().split("\\s+");
            if (line.isBlank()) {
                continue;
            }
            if (fields.length != 2) {
                sound = false;
                break;
            }
            try {
                bytes = Math.addExact(bytes, Long.parseLong(fields[0]));
                messages = Math.addExact(messages, Long.parseLong(fields[1]));
            } catch (NumberFormatException | ArithmeticException e) {
                sound = false;
                break;
            }
        }
        return new Ledger(limit.orElse(QuotaLimit.NONE), new QuotaUsage(bytes, messages), sound);
    }

    /** {@code 1000S,20C}: each part a number and its resource letter; an empty line limits nothing. */
    private static Optional<QuotaLimit> parseHeader(String header) {
        long storage = 0;
        long messages = 0;
        for (var part : header.strip().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            char unit = part.charAt(part.length() - 1);
            long value;
            try {
                value = Long.parseLong(part.substring(0, part.length() - 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (value < 0) {
                return Optional.empty();
            }
            switch (unit) {
                case 'S' -> storage = value;
                case 'C' -> messages = value;
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new QuotaLimit(storage, messages));
    }

    static String header(QuotaLimit limit) {
        var parts = new ArrayList<String>();
        if (limit.storage() > 0) {
            parts.add(limit.storage() + "S");
        }
        if (limit.messages() > 0) {
            parts.add(limit.messages() + "C");
        }
        return String.join(",", parts);
    }

    private static Stamp stamp(Path path) throws IOException {
        return Stamp.of(path);
    }

    /** A new, empty file of a unique name, hidden (a leading dot), for the next version of {@code target}. */
    private Path temporary(Path target) throws IOException {
        Files.createDirectories(temporaryDirectory);
        return Files.createTempFile(temporaryDirectory, "." + target.getFileName() + ".", ".tmp");
    }

    @Override
    public Optional<QuotaLimit> override() throws IOException {
        var found = AbsentFiles.readString(overrideFile, StandardCharsets.US_ASCII);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String text = found.get();
        long storage = 0;
        long messages = 0;
        for (var field : text.strip().split("\\s+")) {
            int eq = field.indexOf('=');
            try {
                switch (eq < 0 ? field : field.substring(0, eq)) {
                    case "storage" -> storage = Long.parseLong(field.substring(eq + 1));
                    case "messages" -> messages = Long.parseLong(field.substring(eq + 1));
                    default -> { } // a field of a later version: the others still hold
                }
            } catch (NumberFormatException e) {
                throw new IOException(overrideFile + " is damaged: " + field);
            }
        }
        return Optional.of(new QuotaLimit(Math.max(0, storage), Math.max(0, messages)));
    }

    @Override
    public void override(Optional<QuotaLimit> limit) throws IOException {
        lock.lock();
        try {
            if (limit.isEmpty()) {
                Files.deleteIfExists(overrideFile);
                durability.syncDirectory(overrideFile.getParent());
                return;
            }
            var temporary = temporary(overrideFile);
            try {
                Files.writeString(temporary, "storage=" + limit.get().storage() + " messages=" + limit.get().messages()
                        + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
                durability.syncFile(temporary);
                Files.move(temporary, overrideFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                durability.syncDirectory(overrideFile.getParent());
            } finally {
                Files.deleteIfExists(temporary);
            }
        } finally {
            lock.unlock();
        }
    }
}
