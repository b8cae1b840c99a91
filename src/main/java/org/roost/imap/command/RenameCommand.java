package org.roost.imap.command;

import java.io.IOException;
import java.util.Map;
import org.roost.acl.Right;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Rename;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.MailboxView;
import org.roost.mail.MailboxNames;

/** RENAME (RFC 3501 §6.3.5), of a mailbox and its inferiors. */
public final class RenameCommand extends CommandExecutor<Rename> {

    public RenameCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("RENAME", Rename.SYNTAX));
    }

    @Override
    public Reply execute(Rename command, CommandContext context) throws IOException {
        if (!(command.from() instanceof MailboxName.Valid from) || !(command.to() instanceof MailboxName.Valid to)) {
            return Reply.no("CANNOT", "Invalid mailbox name");
        }
        var mailboxes = context.mailboxes();
        if (!mailboxes.exists(from.name())) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        var refused = Access.refusal(Access.of(context, from.name()), Right.DELETE); // RFC 4314 §4
        if (refused == null) {
            refused = Access.refusal(mailboxes.rightsToCreate(to.name()), Right.CREATE);
        }
        if (refused != null) {
            return refused;
        }
        if (to.name().equals(MailboxNames.INBOX) || mailboxes.exists(to.name())) {
            return Reply.no("ALREADYEXISTS", "Target mailbox already exists.");
        }
        if (!mailboxes.sameOwner(from.name(), to.name())) {
            return Reply.no("CANNOT", "A mailbox cannot move to another user's mailboxes.");
        }
        mailboxes.rename(from.name(), to.name());
        followSelectedMailbox(context, from.name(), to.name());
        return Reply.ok("RENAME completed.");
    }

    /**
     * The selected mailbox (or a superior of it) was renamed: the session stays selected on it
     * under its new name, as with Dovecot, instead of holding a state whose files moved away.
     * RENAME INBOX leaves INBOX in place (empty), so that selection is not moved.
     */
    private static void followSelectedMailbox(CommandContext context, String from, String to) throws IOException {
        var selected = context.selected();
        if (selected == null || from.equals(MailboxNames.INBOX)) {
            return;
        }
        var name = selected.name();
        String renamed;
        if (name.equals(from)) {
            renamed = to;
        } else if (name.startsWith(from + context.mailboxes().delimiter())) {
            renamed = to + name.substring(from.length());
        } else {
            return;
        }
        var state = context.mailboxes().open(renamed);
        state.refresh(true);
        context.session().select(new MailboxView(state, selected.view().readOnly(), selected.view().seesRecent(),
                context.mailboxes().privateFlags(renamed)), renamed);
    }
}
