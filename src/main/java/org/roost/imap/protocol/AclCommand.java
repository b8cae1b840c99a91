package org.roost.imap.protocol;

/**
 * The commands of RFC 4314 §3 (§7's grammar): SETACL, DELETEACL, GETACL, LISTRIGHTS and MYRIGHTS. Identifiers and
 * rights are astrings, judged by the executor (an unknown right is BAD there, §3.1).
 */
public sealed interface AclCommand extends Command {
    MailboxName mailbox();

    /** {@code "SETACL" SP mailbox SP identifier SP mod-rights}. */
    record SetAcl(String tag, MailboxName mailbox, String identifier, String rights) implements AclCommand {
        public String name() {
            return "SETACL";
        }
    }

    /** {@code "DELETEACL" SP mailbox SP identifier}. */
    record DeleteAcl(String tag, MailboxName mailbox, String identifier) implements AclCommand {
        public String name() {
            return "DELETEACL";
        }
    }

    /** {@code "GETACL" SP mailbox}. */
    record GetAcl(String tag, MailboxName mailbox) implements AclCommand {
        public String name() {
            return "GETACL";
        }
    }

    /** {@code "LISTRIGHTS" SP mailbox SP identifier}. */
    record ListRights(String tag, MailboxName mailbox, String identifier) implements AclCommand {
        public String name() {
            return "LISTRIGHTS";
        }
    }

    /** {@code "MYRIGHTS" SP mailbox}. */
    record MyRights(String tag, MailboxName mailbox) implements AclCommand {
        public String name() {
            return "MYRIGHTS";
        }
    }

    Syntax<SetAcl> SETACL = (tag, in) -> {
        var mailbox = in.mailboxArgument();
        in.space();
        var identifier = in.astring();
        in.space();
        return new SetAcl(tag, mailbox, identifier, in.astring());
    };
    Syntax<DeleteAcl> DELETEACL = (tag, in) -> {
        var mailbox = in.mailboxArgument();
        in.space();
        return new DeleteAcl(tag, mailbox, in.astring());
    };
    Syntax<GetAcl> GETACL = (tag, in) -> new GetAcl(tag, in.mailboxArgument());
    Syntax<ListRights> LISTRIGHTS = (tag, in) -> {
        var mailbox = in.mailboxArgument();
        in.space();
        return new ListRights(tag, mailbox, in.astring());
    };
    Syntax<MyRights> MYRIGHTS = (tag, in) -> new MyRights(tag, in.mailboxArgument());
}
