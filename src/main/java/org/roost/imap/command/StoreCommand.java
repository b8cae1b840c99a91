package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import org.roost.imap.protocol.Store;
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.index.MailboxState;
import org.roost.mail.FlagMode;

/**
 * STORE and UID STORE (RFC 3501 §6.4.6): the flags change durably, then the new FLAGS of each
 * message that changed are sent (unless .SILENT).
 */
public final class StoreCommand extends CommandExecutor<Store> {

    public StoreCommand() {
        super(SessionState.SELECTED_ONLY, Map.of("STORE", Store.STORE, "UID STORE", Store.UID_STORE));
    }

    @Override
    public boolean expungesAllowedAfter(Store command) {
        return command.uid();
    }

    @Override
    public Reply execute(Store command, CommandContext context) throws IOException, MessageSets.InvalidSet {
        var selected = context.selected();
        var view = selected.view();
        int[] seqs = MessageSets.resolve(command.set(), command.uid(), view);
        if (view.readOnly()) {
            return Reply.no("READ-ONLY", "Mailbox is read-only.");
        }
        var flags = command.flags();
        var changes = new ArrayList<MailboxState.FlagChange>(seqs.length);
        for (int seq : seqs) {
            changes.add(new MailboxState.FlagChange(view.message(seq), flags.system(), flags.keywords(), command.mode()));
        }
        var updated = view.state().setFlags(changes);
        view.adopt(updated);
        if (command.mode() != FlagMode.REMOVE && !updated.isEmpty()) {
            selected.announceKeywords(context.writer(), flags.keywords());
        }
        if (!command.silent()) {
            var changedUids = new HashSet<Long>();
            updated.forEach(m -> changedUids.add(m.uid()));
            var out = new ResponseBuffer(context.writer().stream());
            var fetch = new FetchResponse(out);
            for (int seq : seqs) {
                var m = view.message(seq);
                if (changedUids.contains(m.uid())) {
                    fetch.begin(seq);
                    if (command.uid()) {
                        fetch.uid(m.uid());
                    }
                    fetch.flags(m, view.isRecent(m)).end();
                }
            }
            out.drain();
        }
        return Reply.ok(command.name() + " completed.");
    }
}
