package org.roost.storage.mbox;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.roost.storage.files.DotLock;

/**
 * Tuning of the mbox driver, with Dovecot's defaults.
 *
 * @param fsync        make every change durable before it is acknowledged (off only for tests)
 * @param readLocks    locks taken to read, in order ({@code mbox_read_locks}, default fcntl)
 * @param writeLocks   locks taken to write, in order ({@code mbox_write_locks}, default dotlock then fcntl)
 * @param lockTimeout  how long to wait for all locks together before answering that the mailbox is in use
 * @param dotlockStale a dot-lock untouched this long is stale and broken ({@code mbox_dotlock_change_timeout})
 * @param zone         the time zone of {@code From_} line dates that carry none (the system's)
 */
public record MboxOptions(boolean fsync, List<LockMethod> readLocks, List<LockMethod> writeLocks,
                          Duration lockTimeout, Duration dotlockStale, ZoneId zone) implements DotLock.Timing {

    public MboxOptions {
        readLocks = List.copyOf(readLocks);
        writeLocks = List.copyOf(writeLocks);
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(dotlockStale, "dotlockStale");
        Objects.requireNonNull(zone, "zone");
        if (readLocks.stream().distinct().count() != readLocks.size()
                || writeLocks.stream().distinct().count() != writeLocks.size()) {
            throw new IllegalArgumentException("a lock method is named twice");
        }
    }

    /** For Dovecot's lock files beside the mbox files (the subscriptions file). */
    @Override
    public Duration staleLock() {
        return dotlockStale;
    }

    /** Dovecot's defaults: fcntl to read; dotlock, then fcntl to write; 5 minutes; stale after 2 minutes. */
    public static MboxOptions defaults() {
        return new MboxOptions(true, List.of(LockMethod.FCNTL), List.of(LockMethod.DOTLOCK, LockMethod.FCNTL),
                Duration.ofMinutes(5), Duration.ofMinutes(2), ZoneId.systemDefault());
    }

    public MboxOptions withFsync(boolean on) {
        return new MboxOptions(on, readLocks, writeLocks, lockTimeout, dotlockStale, zone);
    }

    public MboxOptions withLocks(List<LockMethod> read, List<LockMethod> write, Duration timeout, Duration stale) {
        return new MboxOptions(fsync, read, write, timeout, stale, zone);
    }
}
