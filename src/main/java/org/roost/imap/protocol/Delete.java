package org.roost.imap.protocol;

/** DELETE (RFC 3501 §6.3.4): {@code "DELETE" SP mailbox}. */
public record Delete(String tag, MailboxName mailbox) implements Command {
    public static final Syntax<Delete> SYNTAX = (tag, in) -> new Delete(tag, in.mailboxArgument());

    @Override
    public String name() {
        return "DELETE";
    }
}
