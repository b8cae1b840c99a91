package org.roost.imap.command;

import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.roost.acl.Acl;
import org.roost.acl.Identifier;
import org.roost.acl.Right;
import org.roost.acl.Rights;
import org.roost.imap.protocol.AclCommand;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.response.ImapStrings;
import org.roost.imap.protocol.response.Reply;

/**
 * SETACL, DELETEACL, GETACL, LISTRIGHTS and MYRIGHTS (RFC 4314 §3), answered as Dovecot's imap_acl plugin answers
 * them, so that clients see the same bytes after a move: rights in Dovecot's order with {@code c} and {@code d}
 * added (§2.1.1), the owner's entry shown under the user's name, the owner's default rights listed when no entry
 * gives them. All but MYRIGHTS need {@code a}; a mailbox the user may not see is answered as one that does not
 * exist (§6). Like Dovecot by default, {@code anyone} and {@code authenticated} cannot be given rights, and the
 * user cannot take {@code a} away from themselves.
 */
public final class AclCommandExecutor extends CommandExecutor<AclCommand> {
    /** Dovecot's LISTRIGHTS: nothing is always granted, each right may be granted alone. */
    private static final String LISTED_RIGHTS = "\"\" l r w s t p i e k x a c d";

    public AclCommandExecutor() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("SETACL", AclCommand.SETACL, "DELETEACL",
                AclCommand.DELETEACL, "GETACL", AclCommand.GETACL, "LISTRIGHTS", AclCommand.LISTRIGHTS, "MYRIGHTS",
                AclCommand.MYRIGHTS));
    }

    @Override
    public Reply execute(AclCommand command, CommandContext context) throws IOException {
        Edit edit;
        try {
            edit = edit(command); // as Dovecot: a malformed identifier or right is BAD before all else
        } catch (IllegalArgumentException | Rights.InvalidRights e) {
            return Reply.bad(e.getMessage());
        }
        if (!(command.mailbox() instanceof MailboxName.Valid valid) || !context.mailboxes().exists(valid.name())) {
            return Access.NONEXISTENT;
        }
        var rights = Access.of(context, valid.name());
        if (command instanceof AclCommand.MyRights) {
            return myRights(command, rights, context);
        }
        if (!rights.has(Right.ADMIN)) {
            return rights.has(Right.LOOKUP)
                    ? Reply.no("NOPERM", "You lack administrator privileges on this mailbox.") : Access.HIDDEN;
        }
        return switch (command) {
            case AclCommand.SetAcl set -> {
                context.mailboxes().changeAcl(valid.name(), edit.on(context.mailboxes().ownerOf(valid.name())));
                yield Reply.ok("Setacl complete.");
            }
            case AclCommand.DeleteAcl delete -> {
                context.mailboxes().changeAcl(valid.name(), edit.on(context.mailboxes().ownerOf(valid.name())));
                yield Reply.ok("Deleteacl complete.");
            }
            case AclCommand.GetAcl get -> getAcl(get, valid.name(), context);
            case AclCommand.ListRights list -> listRights(list, context);
            case AclCommand.MyRights my -> throw new IllegalStateException("answered above");
        };
    }

    /** §3.5: any right but {@code p} alone lets the user learn theirs. */
    private static Reply myRights(AclCommand command, Rights rights, CommandContext context) throws IOException {
        if (rights.isEmpty() || rights.equals(Rights.of(Right.POST))) {
            return Access.HIDDEN;
        }
        context.writer().untagged("MYRIGHTS " + mailbox(command) + " " + rights.myRightsLetters());
        return Reply.ok("Myrights completed.");
    }

    /** SETACL's or DELETEACL's arguments, checked; {@code rights} null for DELETEACL. */
    private record Edit(Identifier identifier, boolean negative, Acl.Change change, Rights rights) {
        /** The change to the ACL of a mailbox of {@code owner}. */
        UnaryOperator<Acl> on(String owner) {
            if (rights == null) {
                return acl -> acl.delete(identifier, negative);
            }
            boolean self = !negative && isOwner(identifier, owner);
            return acl -> self ? keepAdmin(acl, identifier, change, rights)
                    : acl.set(identifier, negative, change, rights);
        }
    }

    /** The arguments of SETACL or DELETEACL; null for the commands that change nothing. */
    private static Edit edit(AclCommand command) throws Rights.InvalidRights {
        return switch (command) {
            case AclCommand.SetAcl set -> setAcl(set);
            case AclCommand.DeleteAcl delete -> deleteAcl(delete);
            default -> null;
        };
    }

    private static Edit setAcl(AclCommand.SetAcl command) throws Rights.InvalidRights {
        var written = command.identifier();
        boolean negative = written.startsWith("-");
        var letters = command.rights();
        var change = letters.startsWith("+") ? Acl.Change.ADD
                : letters.startsWith("-") ? Acl.Change.REMOVE : Acl.Change.REPLACE;
        return new Edit(identifier(negative ? written.substring(1) : written, true), negative, change,
                Rights.parseImap(change == Acl.Change.REPLACE ? letters : letters.substring(1)));
    }

    /**
     * Dovecot's guard against a user taking away their own administration of their mailbox: {@code a} stays in a
     * replacement and out of a removal, and a first entry of their own keeps the default rights too.
     */
    private static Acl keepAdmin(Acl acl, Identifier identifier, Acl.Change change, Rights rights) {
        var admin = Rights.of(Right.ADMIN);
        return switch (change) {
            case REPLACE -> acl.set(identifier, false, change, rights.plus(admin));
            case REMOVE -> acl.set(identifier, false, change, rights.minus(admin));
            case ADD -> acl.set(identifier, false, change, ownerHasEntry(acl) ? rights : rights.plus(Rights.ALL));
        };
    }

    private static boolean ownerHasEntry(Acl acl) {
        return acl.local().stream().anyMatch(e -> e.rights() != null && e.identifier() instanceof Identifier.Owner);
    }

    private static Edit deleteAcl(AclCommand.DeleteAcl command) {
        var written = command.identifier();
        boolean negative = written.startsWith("-");
        return new Edit(identifier(negative ? written.substring(1) : written, false), negative, null, null);
    }

    /** An identifier a client sent; giving {@code anyone} or {@code authenticated} rights is refused. */
    private static Identifier identifier(String written, boolean giving) {
        var identifier = Identifier.parseImap(written);
        if (giving && (identifier instanceof Identifier.Anyone || identifier instanceof Identifier.Authenticated)) {
            throw new IllegalArgumentException("'" + written + "' identifier is disallowed");
        }
        return identifier;
    }

    /** §3.3 and §3.6, as Dovecot writes it: global entries with {@code #}, the owner under the owner's name. */
    private static Reply getAcl(AclCommand.GetAcl command, String name, CommandContext context) throws IOException {
        var user = context.mailboxes().ownerOf(name);
        var entries = context.mailboxes().acl(name).entries();
        boolean ownerTwice = entries.stream().filter(e -> isOwner(e.identifier(), user)).count() > 1;
        var line = new StringBuilder("ACL ").append(mailbox(command));
        boolean ownerGiven = false;
        for (var entry : entries) {
            var shown = ownerTwice ? entry.identifier().imapForm() : shownIdentifier(entry.identifier(), user);
            String prefix = entry.global() ? "#" : "";
            if (entry.rights() != null) {
                line.append(' ').append(ImapStrings.astring(prefix + shown)).append(' ')
                        .append(entry.rights().aclLetters());
                ownerGiven |= isOwner(entry.identifier(), user);
            }
            if (entry.negative() != null) {
                line.append(' ').append(ImapStrings.astring("-" + prefix + shown)).append(' ')
                        .append(entry.negative().aclLetters());
            }
        }
        if (!ownerGiven) {
            line.append(' ').append(ImapStrings.astring(ownerTwice ? "owner" : user)).append(' ')
                    .append(Rights.ALL.myRightsLetters());
        }
        context.writer().untagged(line.toString());
        return Reply.ok("Getacl completed.");
    }

    private static boolean isOwner(Identifier identifier, String user) {
        return identifier instanceof Identifier.Owner || identifier instanceof Identifier.User u && u.name().equals(user);
    }

    private static String shownIdentifier(Identifier identifier, String user) {
        return identifier instanceof Identifier.Owner ? user : identifier.imapForm();
    }

    private static Reply listRights(AclCommand.ListRights command, CommandContext context) throws IOException {
        context.writer().untagged("LISTRIGHTS " + mailbox(command) + " " + ImapStrings.astring(command.identifier())
                + " " + LISTED_RIGHTS);
        return Reply.ok("Listrights completed.");
    }

    private static String mailbox(AclCommand command) {
        return ImapStrings.astring(command.mailbox().wire());
    }
}
