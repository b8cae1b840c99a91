package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.MailboxView;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/** Removing messages from the selected mailbox: what EXPUNGE, UID EXPUNGE, CLOSE and MOVE share. */
final class Expunges {
    private Expunges() {}

    /** Expunges {@code messages} on behalf of this session's view, and counts them. */
    static void expunge(CommandContext context, List<StoredMessage> messages) throws IOException {
        var view = context.selected().view();
        view.state().expunge(messages, view);
        context.metrics().messages(context.facts().protocol(), "expunge", messages.size());
    }

    /**
     * The OK of a command that expunged {@code messages}: once QRESYNC is on, with the MODSEQ of the
     * expunge (RFC 7162 §3.2.7, §3.2.9; RFC 6851 §4.4 for MOVE); what the session reports after the
     * command is no older.
     */
    static Reply completed(CommandContext context, List<StoredMessage> messages, String text) {
        if (!messages.isEmpty() && context.facts().has(Extension.QRESYNC) && context.selected().modseqs()) {
            return Reply.ok("HIGHESTMODSEQ " + context.selected().view().state().current().highestModseq(), text);
        }
        return Reply.ok(text);
    }

    /** The messages among {@code seqs} that have {@code \Deleted}. */
    static List<StoredMessage> deleted(MailboxView view, int[] seqs) {
        var out = new ArrayList<StoredMessage>();
        for (int seq : seqs) {
            var m = view.message(seq);
            if (m.flags().contains(SystemFlag.DELETED)) {
                out.add(m);
            }
        }
        return out;
    }

    /** 1..count. */
    static int[] allSequences(MailboxView view) {
        int[] all = new int[view.count()];
        Arrays.setAll(all, i -> i + 1);
        return all;
    }
}
