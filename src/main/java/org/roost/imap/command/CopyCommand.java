package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.acl.Right;
import org.roost.imap.protocol.Copy;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.response.ImapWriter.Status;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.Fact;
import org.roost.mail.StoredMessage;

/**
 * COPY (RFC 3501 §6.4.7) and MOVE (RFC 6851), each also as a UID command, with COPYUID (RFC 4315):
 * the copies are durable before the OK; MOVE then expunges the originals.
 */
public final class CopyCommand extends CommandExecutor<Copy> {

    public CopyCommand() {
        super(SessionState.SELECTED_ONLY,
                Map.of("COPY", Copy.COPY, "UID COPY", Copy.UID_COPY, "MOVE", Copy.MOVE, "UID MOVE", Copy.UID_MOVE),
                List.of(Capability.afterLogin("MOVE")));
    }

    @Override
    public Reply execute(Copy command, CommandContext context) throws IOException, MessageSets.InvalidSet {
        var view = context.selected().view();
        int[] seqs = MessageSets.resolve(command.set(), command.uid(), context.selected());
        if (!(command.mailbox() instanceof MailboxName.Valid target) || !context.mailboxes().exists(target.name())) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        var targetRights = Access.of(context, target.name());
        if (!targetRights.has(Right.INSERT)) { // RFC 4314 §4; a mailbox the user may not see does not exist (§6)
            return targetRights.has(Right.LOOKUP) ? Access.NOPERM : Access.HIDDEN_TARGET;
        }
        if (command.move() && view.readOnly()) {
            return Reply.no("READ-ONLY", "Mailbox is read-only.");
        }
        // RFC 6851 §4.2: MOVE needs what UID STORE \Deleted and UID EXPUNGE need on the source
        var refused = command.move() ? Access.refusal(Access.ofSelected(context), Right.WRITE_DELETED, Right.EXPUNGE)
                : null;
        if (refused != null) {
            return refused;
        }
        if (seqs.length == 0) {
            return Reply.ok(command.name() + " completed (no messages).");
        }
        // the copies keep the internal dates, and are named with the sizes (as Dovecot names them)
        view.learn(seqs, Set.of(Fact.FILE_STATUS), context.cancellation());
        var sources = new ArrayList<StoredMessage>(seqs.length);
        for (int seq : seqs) {
            sources.add(Access.asCopiedWith(targetRights, view.message(seq)));
        }
        var targetState = context.mailboxes().open(target.name());
        var targetPrivate = context.mailboxes().privateFlags(target.name());
        var copies = command.move() ? view.state().moveTo(targetState, sources, targetPrivate)
                : view.state().copyTo(targetState, sources, targetPrivate);
        context.metrics().messages(context.facts().protocol(), "copy", copies.size());
        var code = "COPYUID " + targetState.current().uidValidity() + " " + uidList(sources) + " " + uidList(copies);
        if (!command.move()) {
            return Reply.ok(code, "COPY completed.");
        }
        context.writer().untaggedStatus(Status.OK, code, "Moved UIDs.");
        Expunges.expunge(context, sources);
        return Expunges.completed(context, sources, "MOVE completed.");
    }

    /** UIDs in the order given (COPYUID pairs source and destination UIDs by position). */
    private static String uidList(List<StoredMessage> messages) {
        var sb = new StringBuilder();
        for (var m : messages) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(m.uid());
        }
        return sb.toString();
    }
}
