package org.roost.imap.protocol;

/**
 * A parsed IMAP command: a value, made by the grammar rule of its name ({@link Syntax}) and run by
 * the executor registered under that name. Parsing never touches storage: the values carry
 * decoded arguments (mailbox names, flag sets, items), so an executor never parses.
 */
public interface Command {
    String tag();

    /**
     * The name the grammar knows the command by, e.g. {@code "UID FETCH"} or {@code "EXAMINE"}:
     * the key of its executor, and its label in the metrics.
     */
    String name();
}
