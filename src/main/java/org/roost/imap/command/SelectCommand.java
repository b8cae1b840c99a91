package org.roost.imap.command;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.roost.acl.Right;
import org.roost.imap.protocol.ListOptions;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Select;
import org.roost.imap.protocol.response.ListAttribute;
import org.roost.imap.protocol.response.ListResponse;
import org.roost.imap.protocol.response.MailboxResponses;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.MailboxView;
import org.roost.mail.MailboxPattern;
import org.roost.mail.SequenceSet;
import org.roost.mail.UidSet;

/**
 * SELECT and EXAMINE (RFC 3501 §6.3.1, §6.3.2): leave the selected mailbox (saying CLOSED, RFC 7162
 * §3.2.11), select this one, and describe it (FLAGS, PERMANENTFLAGS, EXISTS, RECENT, UNSEEN,
 * UIDVALIDITY, UIDNEXT, and once CONDSTORE is on HIGHESTMODSEQ or NOMODSEQ); with QRESYNC, what
 * changed since the client's MODSEQ (§3.2.5). Once IMAP4rev2 is enabled, LIST takes the place of
 * RECENT and UNSEEN (RFC 9051 §6.3.2, Appendix E items 10-12), and no message is {@code \Recent}.
 */
public final class SelectCommand extends CommandExecutor<Select> {

    public SelectCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("SELECT", Select.SELECT, "EXAMINE", Select.EXAMINE));
    }

    @Override
    public Reply execute(Select command, CommandContext context) throws IOException {
        if (command.qresync() != null && !context.facts().has(Extension.QRESYNC)) {
            return Reply.bad("QRESYNC must be enabled first (ENABLE QRESYNC)."); // RFC 7162 §3.2.5
        }
        var writer = context.writer();
        if (context.selected() != null) {
            context.session().deselect();
            MailboxResponses.closed(writer);
        }
        if (command.condstore()) {
            context.session().enable(Extension.CONDSTORE);
        }
        if (!(command.mailbox() instanceof MailboxName.Valid valid) || !context.mailboxes().exists(valid.name())) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        var rights = Access.of(context, valid.name());
        var refused = Access.refusal(rights, Right.READ); // RFC 4314 §4
        if (refused != null) {
            return refused;
        }
        boolean readOnly = command.readOnly() || !Access.writable(rights); // §5.2
        var state = context.mailboxes().open(valid.name());
        state.refresh(true);
        boolean rev2 = context.facts().has(Extension.IMAP4REV2);
        var view = new MailboxView(state, readOnly, !rev2, context.mailboxes().privateFlags(valid.name()));
        var selected = context.session().select(view, valid.name());
        selected.rights(rights);
        selected.announceFlags(writer, view.keywordsInUse());
        MailboxResponses.exists(writer, view.count());
        if (rev2) {
            listSelected(context, valid.name());
        } else {
            MailboxResponses.recent(writer, view.recentCount());
            int firstUnseen = view.firstUnseenSequence();
            if (firstUnseen > 0 && !writer.uidOnly()) { // a sequence number (RFC 9586 §3)
                MailboxResponses.firstUnseen(writer, firstUnseen);
            }
        }
        MailboxResponses.uidValidity(writer, view.uidValidity());
        MailboxResponses.uidNext(writer, view.uidNext());
        var mailboxId = context.mailboxes().mailboxId(valid.name());
        if (mailboxId != null) {
            MailboxResponses.mailboxId(writer, mailboxId);
        }
        if (command.condstore() || context.facts().has(Extension.CONDSTORE)) {
            if (selected.modseqs()) {
                MailboxResponses.highestModseq(writer, view.highestModseq());
            } else {
                MailboxResponses.noModseq(writer);
            }
        }
        var qresync = command.qresync();
        if (qresync != null && selected.modseqs() && qresync.uidValidity() == view.uidValidity()) {
            resync(context, view, qresync);
        }
        return Reply.ok(readOnly ? "READ-ONLY" : "READ-WRITE", command.name() + " completed.");
    }

    /** RFC 9051 §6.3.2: the mailbox's LIST response, with the attributes a LIST of it gives. */
    private static void listSelected(CommandContext context, String name) throws IOException {
        char delimiter = context.mailboxes().delimiter();
        var pattern = MailboxPattern.compile(context.facts().naming().encode(name), delimiter);
        for (var entry : ListCommand.entries(context, ListOptions.BASIC, List.of(pattern))) {
            if (entry.name().equals(name)) {
                ListResponse.write(context.writer(), "LIST", entry.attributes().stream().map(ListAttribute::wireName)
                        .collect(Collectors.joining(" ")), delimiter, entry.wireName());
            }
        }
    }

    /** §3.2.5.1: VANISHED (EARLIER) for the known UIDs gone since the MODSEQ, then their flag changes. */
    private static void resync(CommandContext context, MailboxView view, Select.Qresync qresync) throws IOException {
        long maxUid = view.uidNext() - 1;
        var known = qresync.knownUids() == null ? UidSet.range(1, maxUid) : UidSet.of(qresync.knownUids(), maxUid);
        long matched = qresync.knownSequences() == null ? 0
                : lastMatchingUid(view, qresync.knownSequences(), qresync.knownSequenceUids());
        Resync.vanishedEarlier(context.writer(), view, qresync.modseq(),
                known.intersect(UidSet.range(matched + 1, maxUid)));
        var changed = Resync.changedSince(view, known, qresync.modseq(), context.cancellation());
        Resync.flagsWithModseq(context.writer(), view, changed);
    }

    /**
     * §3.2.5.2: the client knows every expunge up to the UID of the last of its sequence number and UID
     * pairs that still match, taken in order up to the first that does not. Walks at most one pair
     * more than the mailbox has messages, however large the client's sets.
     */
    private static long lastMatchingUid(MailboxView view, SequenceSet sequences, SequenceSet uids) {
        var seqs = new Numbers(sequences);
        var uidNumbers = new Numbers(uids);
        long matched = 0;
        while (seqs.hasNext() && uidNumbers.hasNext()) {
            long seq = seqs.next();
            long uid = uidNumbers.next();
            if (seq < 1 || seq > view.count() || view.uid((int) seq) != uid || uid <= matched) {
                break;
            }
            matched = uid;
        }
        return matched;
    }

    /** The numbers of a sequence set without {@code *}, in the order written, one range at a time. */
    private static final class Numbers {
        private final Iterator<SequenceSet.Range> ranges;
        private long next = 1;
        private long end;

        Numbers(SequenceSet set) {
            this.ranges = set.ranges().iterator();
        }

        boolean hasNext() {
            while (next > end) {
                if (!ranges.hasNext()) {
                    return false;
                }
                var range = ranges.next();
                next = range.low(0);
                end = range.high(0);
            }
            return true;
        }

        long next() {
            return next++;
        }
    }
}
