package org.roost.imap.protocol;

/** SELECT, or EXAMINE when {@code readOnly} (RFC 3501 §6.3.1, §6.3.2): {@code "SELECT" SP mailbox}. */
public record Select(String tag, MailboxName mailbox, boolean readOnly) implements Command {
    public static final Syntax<Select> SELECT = (tag, in) -> new Select(tag, in.mailboxArgument(), false);
    public static final Syntax<Select> EXAMINE = (tag, in) -> new Select(tag, in.mailboxArgument(), true);

    @Override
    public String name() {
        return readOnly ? "EXAMINE" : "SELECT";
    }
}
