package org.roost.imap.fetch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.acl.Right;
import org.roost.imap.command.Access;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.CommandExecutor;
import org.roost.imap.command.Extension;
import org.roost.imap.command.Resync;
import org.roost.imap.command.MessageSets;
import org.roost.imap.command.SelectedMailbox;
import org.roost.imap.command.SessionState;
import org.roost.imap.command.StorageFailures;
import org.roost.imap.protocol.Fetch;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.FlagMode;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;
import org.roost.mail.mime.PreviewText;
import org.roost.net.Cancellation;

/**
 * FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8, §7.4.2). Items the index alone answers take
 * {@link IndexItemsFetch}; the others {@link MessageFetch}, which streams message data from
 * storage as literals, with the MIME structure from the shared cache.
 */
public final class FetchCommand extends CommandExecutor<Fetch> {
    /** Whether items the index alone answers may take {@link IndexItemsFetch} (tests compare both paths). */
    private final boolean indexPath;
    /** The characters of a PREVIEW ({@code limits.maxPreviewChars}). */
    private final int maxPreviewChars;

    public FetchCommand(int maxPreviewChars) {
        this(true, maxPreviewChars);
    }

    FetchCommand(boolean indexPath, int maxPreviewChars) {
        super(SessionState.SELECTED_ONLY, Map.of("FETCH", Fetch.FETCH, "UID FETCH", Fetch.UID_FETCH));
        this.indexPath = indexPath;
        this.maxPreviewChars = maxPreviewChars;
    }

    @Override
    public boolean expungesAllowedAfter(Fetch command) {
        return command.uid();
    }

    @Override
    public Reply execute(Fetch command, CommandContext context) throws IOException, MessageSets.InvalidSet {
        var selected = context.selected();
        var view = selected.view();
        boolean asksModseq = command.changedSinceGiven() || command.items().stream().anyMatch(i -> i instanceof FetchItem.Modseq);
        if (command.vanished() && !context.facts().has(Extension.QRESYNC)) {
            return Reply.bad("VANISHED needs ENABLE QRESYNC first."); // RFC 7162 §3.2.6
        }
        if (!context.facts().keepsGuids() && command.items().stream()
                .anyMatch(i -> i instanceof FetchItem.EmailId || i instanceof FetchItem.ThreadId)) {
            return Reply.bad("This mail keeps no message ids (no OBJECTID).");
        }
        if (asksModseq) {
            if (!selected.modseqs()) {
                return Reply.bad("The mailbox keeps no MODSEQs (NOMODSEQ)."); // RFC 7162 §3.1.2.2
            }
            context.session().enable(Extension.CONDSTORE);
        }
        // PARTIAL takes its part of the messages named first, CHANGEDSINCE filters that part (RFC 9394 §3.4)
        int[] seqs = command.changedSinceGiven() && command.uid() && command.partial() == null
                ? Resync.changedSince(view, MessageSets.uids(command.set(), selected), command.changedSince(),
                        context.cancellation())
                : MessageSets.resolve(command.set(), command.uid(), selected);
        if (command.partial() != null) {
            seqs = command.partial().of(seqs);
            if (command.changedSinceGiven()) {
                seqs = Resync.changedSince(view, seqs, command.changedSince(), context.cancellation());
            }
        }
        if (command.vanished()) {
            Resync.vanishedEarlier(context.writer(), view, command.changedSince(),
                    command.set().isSaved() ? selected.savedSearch()
                            : UidSet.of(command.set(), view.uidNext() - 1)); // "*": any UID given so far
        }
        if (command.changedSinceGiven() && !command.uid()) {
            seqs = Resync.changedSince(view, seqs, command.changedSince(), context.cancellation());
        }
        var out = new ResponseBuffer(context.writer().stream());
        try {
            boolean condstore = (asksModseq || context.facts().has(Extension.CONDSTORE)) && selected.modseqs();
            boolean setsSeen = !view.readOnly() && command.items().stream().anyMatch(i -> i instanceof FetchItem.Section s
                    && s.setsSeen() || i instanceof FetchItem.Binary b && b.setsSeen())
                    && Access.ofSelected(context).has(Right.WRITE_SEEN); // RFC 4314 §4: FETCH sets \Seen only with s
            var items = implied(command, condstore && setsSeen, context.writer().uidOnly());
            var response = new FetchResponse(out, context.writer().uidOnly());
            if (indexPath && IndexItemsFetch.answers(items)) {
                var complete = new IndexItemsFetch(view, response, context.cancellation()).write(seqs, items);
                return complete ? Reply.ok(command.name() + " completed.") : StorageFailures.messagesGone();
            }
            var newlySeen = setsSeen ? markSeen(view, seqs) : Set.<Long>of();
            var fetch = new MessageFetch(view, response, context.cancellation(), maxPreviewChars,
                    selected.binaryDecodeBuffer());
            var complete = fetch.write(seqs, items, newlySeen);
            out.drain();
            selected.ownFlagChanges(context.writer(),
                    newlySeen.stream().mapToInt(view::sequenceOf).filter(s -> s > 0).toArray());
            if (fetch.unknownEncoding()) {
                return Reply.no("UNKNOWN-CTE", "A part's Content-Transfer-Encoding is unknown."); // RFC 3516 §4.3
            }
            return complete ? Reply.ok(command.name() + " completed.") : StorageFailures.messagesGone();
        } finally {
            out.drain();
        }
    }

    /**
     * Unsolicited FETCH responses for new messages of the selected mailbox (NOTIFY's MessageNew, RFC 5465
     * §5.2): the items asked, UID first when asked for, MODSEQ answered only where the mailbox keeps them.
     * Never sets \Seen: a notification changes nothing, so a section is read as if BODY.PEEK. A PREVIEW has
     * RFC 8970's suggested length.
     */
    public static void unsolicited(SelectedMailbox selected, int[] seqs, List<FetchItem> items, ImapWriter writer)
            throws IOException {
        var view = selected.view();
        var answered = items.stream().filter(i -> !(i instanceof FetchItem.Modseq) || selected.modseqs()).toList();
        var out = new ResponseBuffer(writer.stream());
        try {
            var response = new FetchResponse(out, writer.uidOnly());
            if (IndexItemsFetch.answers(answered)) {
                new IndexItemsFetch(view, response, Cancellation.never()).write(seqs, answered);
            } else {
                new MessageFetch(view, response, Cancellation.never(), PreviewText.SUGGESTED_CHARS,
                        selected.binaryDecodeBuffer())
                        .write(seqs, answered, Set.of());
            }
        } finally {
            out.drain();
        }
    }

    /**
     * The items asked for with those implied: UID FETCH always reports UID (RFC 3501 §6.4.8);
     * CHANGEDSINCE reports MODSEQ (RFC 7162 §3.1.4.1); a FETCH that may set \Seen once CONDSTORE is
     * on reports UID and MODSEQ ({@code seenWithModseq}, §3.2.4). A UIDFETCH response ({@code uidOnly})
     * begins with the UID: it has the UID item only when asked for (RFC 9586 §3.3).
     */
    private static List<FetchItem> implied(Fetch command, boolean seenWithModseq, boolean uidOnly) {
        var items = command.items();
        boolean uid = (command.uid() || seenWithModseq) && !uidOnly;
        boolean modseq = command.changedSinceGiven() || seenWithModseq;
        var out = new ArrayList<FetchItem>(items.size() + 2);
        if (uid && items.stream().noneMatch(i -> i instanceof FetchItem.Uid)) {
            out.add(new FetchItem.Uid());
        }
        out.addAll(items);
        if (modseq && items.stream().noneMatch(i -> i instanceof FetchItem.Modseq)) {
            out.add(new FetchItem.Modseq());
        }
        return out;
    }

    /** Sets \Seen before answering, so that the FLAGS in the response already show it; returns the UIDs changed. */
    private static Set<Long> markSeen(MailboxView view, int[] seqs) throws IOException {
        var changes = new ArrayList<MailboxState.FlagChange>();
        var shared = view.state().current();
        for (int seq : seqs) {
            var m = view.message(seq);
            // this view may be behind another session's STORE (of the mailbox's \Seen, unless it is the user's own)
            var now = view.privateFlag(SystemFlag.SEEN) ? null : shared.byUid(m.uid());
            if (!m.flags().contains(SystemFlag.SEEN) || (now != null && !now.flags().contains(SystemFlag.SEEN))) {
                // added to the flags the message has now: another session's change since this view
                // last synced must survive (RFC 3501 §6.4.5 sets only \Seen)
                changes.add(new MailboxState.FlagChange(m, EnumSet.of(SystemFlag.SEEN), Set.of(), FlagMode.ADD));
            }
        }
        var changed = new HashSet<Long>();
        if (!changes.isEmpty()) {
            var updated = view.setFlags(changes, MailboxState.UNCONDITIONAL);
            view.adopt(updated);
            updated.updated().forEach(u -> changed.add(u.message().uid()));
        }
        return changed;
    }
}
