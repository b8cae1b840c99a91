package org.roost.storage.mbox;

import java.util.Locale;

/**
 * The ways programs lock an mbox (Dovecot's {@code mbox_read_locks}/{@code mbox_write_locks} names):
 * every program sharing the files must use the same ones in the same order, or they do not
 * exclude each other (or, in another order, wait on each other until a timeout).
 */
public enum LockMethod {
    /** {@code <mbox>.lock} created exclusively (liblockfile, procmail, mutt, Dovecot, MTAs). */
    DOTLOCK,
    /** As {@link #DOTLOCK}, but skipped when the directory does not let us create the file. */
    DOTLOCK_TRY,
    /** POSIX record lock over the whole file ({@code fcntl(F_SETLK)}, Java's {@code FileChannel.lock}). */
    FCNTL,
    /** BSD {@code flock(2)} (sendmail's mail.local); independent of fcntl locks on Linux. */
    FLOCK;

    public static LockMethod parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "dotlock" -> DOTLOCK;
            case "dotlock_try" -> DOTLOCK_TRY;
            case "fcntl" -> FCNTL;
            case "flock" -> FLOCK;
            default -> throw new IllegalArgumentException("unknown mbox lock method '" + name
                    + "' (known: dotlock, dotlock_try, fcntl, flock)");
        };
    }
}
