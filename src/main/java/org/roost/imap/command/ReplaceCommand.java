package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.acl.Right;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Replace;
import org.roost.imap.protocol.response.ImapWriter.Status;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.Fact;

/**
 * REPLACE and UID REPLACE (RFC 8508): the new message is appended (durable), then the old one is expunged, so
 * a crash in between leaves both, never neither. The quota judges only what the replacement adds (§3.4);
 * APPENDUID comes untagged before the EXPUNGE (§4.3), and the expunge is a UID EXPUNGE's for CONDSTORE and
 * QRESYNC (§4.5: VANISHED once QRESYNC is on).
 */
public final class ReplaceCommand extends CommandExecutor<Replace> {
    private final Appender appender;

    public ReplaceCommand(Appender appender) {
        super(SessionState.SELECTED_ONLY, Map.of("REPLACE", Replace.REPLACE, "UID REPLACE", Replace.UID_REPLACE),
                List.of(Capability.afterLogin("REPLACE")));
        this.appender = appender;
    }

    @Override
    public Reply execute(Replace command, CommandContext context) throws IOException, MessageSets.InvalidSet {
        var view = context.selected().view();
        int[] seqs = MessageSets.resolve(command.message(), command.uid(), context.selected());
        if (seqs.length != 1) {
            return Reply.no("The message to replace does not exist.");
        }
        if (view.readOnly()) {
            return Reply.no("READ-ONLY", "Mailbox is read-only.");
        }
        if (!(command.mailbox() instanceof MailboxName.Valid target)) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        // RFC 8508 §4.1: what UID STORE \Deleted and UID EXPUNGE need on the source (APPEND's i: the Appender)
        var refused = Access.refusal(Access.ofSelected(context), Right.WRITE_DELETED, Right.EXPUNGE);
        if (refused != null) {
            return refused;
        }
        view.learn(seqs, Set.of(Fact.FILE_STATUS), context.cancellation()); // its size, for the quota
        var old = view.message(seqs[0]);
        switch (appender.append(target.name(), List.of(command.replacement()), List.of(old), context)) {
            case Appender.Refused(var reply) -> {
                return reply;
            }
            case Appender.Appended(var appendUid) ->
                    context.writer().untaggedStatus(Status.OK, appendUid, "Replacement Message ready");
        }
        Expunges.expunge(context, List.of(old));
        return Expunges.completed(context, List.of(old), "Replace completed"); // RFC 8508 §3.2
    }
}
