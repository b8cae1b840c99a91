package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.roost.acl.Right;
import org.roost.imap.protocol.Expunge;
import org.roost.imap.protocol.response.Reply;

/**
 * EXPUNGE (RFC 3501 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1), which with APPENDUID and COPYUID
 * make UIDPLUS.
 */
public final class ExpungeCommand extends CommandExecutor<Expunge> {

    public ExpungeCommand() {
        super(SessionState.SELECTED_ONLY, Map.of("EXPUNGE", Expunge.EXPUNGE, "UID EXPUNGE", Expunge.UID_EXPUNGE),
                List.of(Capability.afterLogin("UIDPLUS")));
    }

    @Override
    public Reply execute(Expunge command, CommandContext context) throws IOException, MessageSets.InvalidSet {
        var view = context.selected().view();
        if (view.readOnly()) {
            return Reply.no("READ-ONLY", "Mailbox is read-only.");
        }
        var refused = Access.refusal(Access.ofSelected(context), Right.EXPUNGE); // RFC 4314 §4
        if (refused != null) {
            return refused;
        }
        int[] seqs = command.uids().isPresent()
                ? MessageSets.resolve(command.uids().get(), true, context.selected()) : Expunges.allSequences(view);
        var deleted = Expunges.deleted(view, seqs);
        Expunges.expunge(context, deleted);
        return Expunges.completed(context, deleted, command.name() + " completed.");
    }
}
