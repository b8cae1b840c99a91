package org.roost.imap.protocol;

/** SUBSCRIBE, or UNSUBSCRIBE when not {@code subscribe} (RFC 3501 §6.3.6, §6.3.7): {@code "SUBSCRIBE" SP mailbox}. */
public record Subscribe(String tag, MailboxName mailbox, boolean subscribe) implements Command {
    public static final Syntax<Subscribe> SUBSCRIBE = (tag, in) -> new Subscribe(tag, in.mailboxArgument(), true);
    public static final Syntax<Subscribe> UNSUBSCRIBE = (tag, in) -> new Subscribe(tag, in.mailboxArgument(), false);

    @Override
    public String name() {
        return subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE";
    }
}
