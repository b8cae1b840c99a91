package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.roost.acl.Rights;
import org.roost.imap.protocol.Store;
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.FlagMode;
import org.roost.mail.StoredMessage;
import org.roost.mail.UidSet;

/**
 * STORE and UID STORE (RFC 3501 §6.4.6): the flags change durably, then the new FLAGS of each
 * message that changed are sent (unless .SILENT). With CONDSTORE (RFC 7162 §3.1.3): UNCHANGEDSINCE
 * leaves alone the messages changed after it and names them in {@code [MODIFIED ...]}; once CONDSTORE
 * is on, each FETCH carries UID and MODSEQ, and .SILENT still tells the new MODSEQs (§3.2.4).
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
        if (command.conditional()) {
            if (!selected.modseqs()) {
                return Reply.bad("The mailbox keeps no MODSEQs (NOMODSEQ)."); // RFC 7162 §3.1.2.2
            }
            context.session().enable(Extension.CONDSTORE);
        }
        int[] seqs = MessageSets.resolve(command.set(), command.uid(), context.selected());
        if (view.readOnly()) {
            return Reply.no("READ-ONLY", "Mailbox is read-only.");
        }
        var rights = Access.ofSelected(context);
        var changes = new ArrayList<MailboxState.FlagChange>(seqs.length);
        for (int seq : seqs) {
            changes.add(change(rights, view.message(seq), command));
        }
        var result = view.setFlags(changes, command.unchangedSince());
        view.adopt(result);
        if (command.mode() != FlagMode.REMOVE && !result.updated().isEmpty()) {
            selected.announceKeywords(context.writer(), command.flags().keywords());
        }
        boolean condstore = (command.conditional() || context.facts().has(Extension.CONDSTORE)) && selected.modseqs();
        if (!command.silent() || condstore) {
            writeFetches(context, command, seqs, result, condstore);
        }
        selected.ownFlagChanges(context.writer(),
                result.updated().stream().mapToInt(u -> view.sequenceOf(u.message().uid())).filter(s -> s > 0).toArray());
        if (result.modified().isEmpty()) {
            return Reply.ok(command.name() + " completed.");
        }
        return Reply.ok("MODIFIED " + modified(result, command.uid(), view), "Conditional STORE failed.");
    }

    /**
     * The change STORE makes to one message: only the flags the user's rights let them change (RFC 4314 §4:
     * {@code \Seen} with {@code s}, {@code \Deleted} with {@code t}, the others and keywords with {@code w}); the
     * rest are left as they are, as Dovecot does, and the FETCH responses show what the message has.
     */
    private static MailboxState.FlagChange change(Rights rights, StoredMessage message, Store command) {
        var flags = command.flags();
        if (Access.allFlags(rights)) {
            return new MailboxState.FlagChange(message, flags.system(), flags.keywords(), command.mode());
        }
        if (command.mode() == FlagMode.REPLACE) {
            return new MailboxState.FlagChange(message, Access.replaced(rights, message.flags(), flags.system()),
                    Access.replacedKeywords(rights, message.keywords(), flags.keywords()), FlagMode.REPLACE);
        }
        return new MailboxState.FlagChange(message, Access.allowed(rights, flags.system()),
                Access.allowedKeywords(rights, flags.keywords()), command.mode());
    }

    /**
     * {@code * n FETCH (...)} for each message the STORE left as asked: FLAGS unless .SILENT, UID for UID
     * STORE or once CONDSTORE is on, and then MODSEQ.
     */
    private static void writeFetches(CommandContext context, Store command, int[] seqs,
            MailboxState.FlagResult result, boolean condstore) throws IOException {
        var view = context.selected().view();
        var updated = new HashMap<Long, Long>();
        result.updated().forEach(u -> updated.put(u.message().uid(), u.modseq()));
        var out = new ResponseBuffer(context.writer().stream());
        var fetch = new FetchResponse(out, context.writer().uidOnly());
        for (int seq : seqs) {
            var m = view.message(seq);
            if (!updated.containsKey(m.uid())) {
                continue;
            }
            fetch.begin(seq, m.uid());
            if (command.uid() || condstore) {
                fetch.impliedUid(m.uid());
            }
            if (!command.silent()) {
                fetch.flags(m, view.isRecent(m));
            }
            if (condstore) {
                fetch.modseq(updated.get(m.uid()));
            }
            fetch.end();
        }
        out.drain();
    }

    /** The MODIFIED set: UIDs for UID STORE, sequence numbers for STORE (RFC 7162 §3.1.3). */
    private static String modified(MailboxState.FlagResult result, boolean uid, MailboxView view) {
        var numbers = result.modified().stream()
                .mapToLong(m -> uid ? m.uid() : view.sequenceOf(m.uid())).filter(n -> n > 0).toArray();
        return UidSet.of(numbers).toString();
    }
}
