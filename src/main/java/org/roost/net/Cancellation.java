package org.roost.net;

/**
 * How long work learns that nobody wants its result any more. Loops over many names or messages
 * call {@link #check()} once per item, or once per few dozen items where an item costs only
 * nanoseconds (a check costs about 20); it throws {@link Cancelled} to unwind the command.
 */
@FunctionalInterface
public interface Cancellation {

    /** @throws Cancelled when the work should stop now */
    void check();

    /** For work that no client waits on (tests, tools): never cancelled. */
    static Cancellation never() {
        return () -> { };
    }

    /** Unwinds a cancelled command up to its session, which ends. */
    final class Cancelled extends RuntimeException {
        private final boolean clientGone;

        public Cancelled(boolean clientGone) {
            super(clientGone ? "the client closed the connection" : "the session was told to end", null, false, false);
            this.clientGone = clientGone;
        }

        /** True when the client went away; false when the session was told to end (kick, shutdown). */
        public boolean clientGone() {
            return clientGone;
        }
    }
}
