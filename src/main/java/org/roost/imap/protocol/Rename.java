package org.roost.imap.protocol;

/** RENAME (RFC 3501 §6.3.5): {@code "RENAME" SP mailbox SP mailbox}. */
public record Rename(String tag, MailboxName from, MailboxName to) implements Command {
    public static final Syntax<Rename> SYNTAX = (tag, in) -> new Rename(tag, in.mailboxArgument(), in.mailboxArgument());

    @Override
    public String name() {
        return "RENAME";
    }
}
