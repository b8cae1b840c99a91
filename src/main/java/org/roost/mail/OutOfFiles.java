package org.roost.mail;

/**
 * Tells a failure to open a file or accept a connection because the process (EMFILE) or the system (ENFILE) has
 * no file descriptor left: a shortage that passes as other files close, which deserves a "try again later" and a
 * log line naming it, never an answer blaming the mailbox or the client.
 */
public final class OutOfFiles {
    /** What the JDK reports for both errors ("Too many open files", "Too many open files in system"). */
    private static final String STRERROR = "Too many open files";
    /** Causes looked through: a chain is short, and a hostile one must not hold the thread. */
    private static final int MAX_DEPTH = 8;

    private OutOfFiles() {}

    /** Whether {@code failure} or one of its first causes is the descriptor shortage. */
    public static boolean is(Throwable failure) {
        var t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            var message = t.getMessage();
            if (message != null && message.contains(STRERROR)) {
                return true;
            }
        }
        return false;
    }
}
