package org.roost.storage.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out UIDVALIDITY values for new mailboxes as Dovecot does: the current time in seconds,
 * but always above the last value given out in this store, which {@code dovecot-uidvalidity}
 * in the root keeps (8 hex digits) beside an empty marker file {@code dovecot-uidvalidity.<hex>}.
 * A fresh value for every new (or recreated) mailbox keeps RFC 3501 §2.3.1.1's promise that a
 * reused name never reuses UIDs under the same UIDVALIDITY.
 */
public final class UidValidities {
    private static final long MAX_UID = 0xffff_ffffL;

    private static final String FILE = "dovecot-uidvalidity";

    private final Path root;
    private final Durability durability;
    private final ReentrantLock lock = new ReentrantLock();

    public UidValidities(Path root, Durability durability) {
        this.root = root;
        this.durability = durability;
    }

    public long next() throws IOException {
        lock.lock();
        try {
            long last = readLast();
            long next = Math.max(Instant.now().getEpochSecond(), last + 1);
            if (next > MAX_UID) {
                next = 1;
            }
            write(last, next);
            return next;
        } finally {
            lock.unlock();
        }
    }

    private long readLast() throws IOException {
        try {
            var text = Files.readString(root.resolve(FILE), StandardCharsets.US_ASCII).trim();
            return text.length() == 8 ? Long.parseLong(text, 16) : 0;
        } catch (NoSuchFileException | NumberFormatException e) {
            return 0;
        }
    }

    private void write(long last, long next) throws IOException {
        var hex = HexFormat.of().toHexDigits((int) next);
        var temp = root.resolve(FILE + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(temp, hex, StandardCharsets.US_ASCII);
        durability.syncFile(temp);
        Files.move(temp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        var oldMarker = root.resolve(FILE + "." + HexFormat.of().toHexDigits((int) last));
        var newMarker = root.resolve(FILE + "." + hex);
        Files.deleteIfExists(oldMarker);
        if (!Files.exists(newMarker)) {
            Files.createFile(newMarker);
        }
        durability.syncDirectory(root);
    }
}
