package org.roost.storage.maildir;

import java.time.Duration;
import java.util.Objects;
import org.roost.storage.files.DotLock;

/**
 * Tuning of the Maildir driver.
 *
 * @param fsync       force files and directories to disk before a mutation returns (default on;
 *                    off only for tests and throw-away stores)
 * @param lockTimeout how long to wait for a Dovecot-style lock file held by someone else
 * @param staleLock   a lock file untouched for this long is taken to be left by a crashed process
 */
public record MaildirOptions(boolean fsync, Duration lockTimeout, Duration staleLock) implements DotLock.Timing {

    public MaildirOptions {
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(staleLock, "staleLock");
    }

    /** fsync on, Dovecot's uidlist lock timings (wait up to 2 minutes, stale after 2 minutes). */
    public static MaildirOptions defaults() {
        return new MaildirOptions(true, Duration.ofMinutes(2), Duration.ofMinutes(2));
    }

    public MaildirOptions withFsync(boolean on) {
        return new MaildirOptions(on, lockTimeout, staleLock);
    }
}
