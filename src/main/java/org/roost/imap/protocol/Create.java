package org.roost.imap.protocol;

/** CREATE (RFC 3501 §6.3.3): {@code "CREATE" SP mailbox}. */
public record Create(String tag, MailboxName mailbox) implements Command {
    public static final Syntax<Create> SYNTAX = (tag, in) -> new Create(tag, in.mailboxArgument());

    @Override
    public String name() {
        return "CREATE";
    }
}
