package org.roost.imap.command;

import java.io.IOException;
import java.util.Map;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Select;
import org.roost.imap.protocol.response.MailboxResponses;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.MailboxView;

/**
 * SELECT and EXAMINE (RFC 3501 §6.3.1, §6.3.2): leave the selected mailbox, select this one, and
 * describe it (FLAGS, PERMANENTFLAGS, EXISTS, RECENT, UNSEEN, UIDVALIDITY, UIDNEXT).
 */
public final class SelectCommand extends CommandExecutor<Select> {

    public SelectCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("SELECT", Select.SELECT, "EXAMINE", Select.EXAMINE));
    }

    @Override
    public Reply execute(Select command, CommandContext context) throws IOException {
        context.session().deselect();
        if (!(command.mailbox() instanceof MailboxName.Valid valid) || !context.mailboxes().exists(valid.name())) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        var state = context.mailboxes().open(valid.name());
        state.refresh(true);
        var view = new MailboxView(state, command.readOnly());
        var writer = context.writer();
        var selected = context.session().select(view);
        selected.announceFlags(writer, view.keywordsInUse());
        MailboxResponses.exists(writer, view.count());
        MailboxResponses.recent(writer, view.recentCount());
        int firstUnseen = view.firstUnseenSequence();
        if (firstUnseen > 0) {
            MailboxResponses.firstUnseen(writer, firstUnseen);
        }
        MailboxResponses.uidValidity(writer, view.uidValidity());
        MailboxResponses.uidNext(writer, view.uidNext());
        return Reply.ok(command.readOnly() ? "READ-ONLY" : "READ-WRITE", command.name() + " completed.");
    }
}
