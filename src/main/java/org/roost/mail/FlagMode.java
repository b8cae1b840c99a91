package org.roost.mail;

/** How a flag change combines the flags it names with the ones a message has (IMAP STORE FLAGS, +FLAGS, -FLAGS). */
public enum FlagMode {
    /** The message gets exactly the named flags. */
    REPLACE,
    /** The named flags are added to the message's. */
    ADD,
    /** The named flags are taken from the message's. */
    REMOVE
}
