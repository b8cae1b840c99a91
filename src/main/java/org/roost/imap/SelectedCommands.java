package org.roost.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.roost.index.Fact;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.SystemFlag;
import org.roost.storage.StoredMessage;

/**
 * SELECT/EXAMINE (RFC 3501 §6.3.1-2) and the selected state's commands that change or leave
 * the mailbox: CHECK, CLOSE, UNSELECT (RFC 3691), EXPUNGE and UID EXPUNGE (RFC 4315), STORE,
 * COPY and MOVE (RFC 6851).
 */
final class SelectedCommands {
    private final ImapSession session;

    SelectedCommands(ImapSession session) {
        this.session = session;
    }

    Reply select(Command.Select c) throws IOException {
        session.selected(null);
        String name;
        try {
            name = MailboxCommands.decode(c.mailbox());
        } catch (MailboxCommands.BadName e) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        if (!session.mailStore().exists(name)) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        var state = session.context().indexCache().open(session.userName(), name);
        state.refresh(true);
        var view = new MailboxView(state, c.readOnly());
        var writer = session.writer();
        session.selected(view);
        session.writeFlags(view.keywordsInUse());
        writer.untagged(view.count() + " EXISTS");
        writer.untagged(view.recentCount() + " RECENT");
        int firstUnseen = view.firstUnseenSequence();
        if (firstUnseen > 0) {
            writer.untaggedStatus(ImapWriter.Status.OK, "UNSEEN " + firstUnseen, "First unseen.");
        }
        writer.untaggedStatus(ImapWriter.Status.OK, "UIDVALIDITY " + view.uidValidity(), "UIDs valid.");
        writer.untaggedStatus(ImapWriter.Status.OK, "UIDNEXT " + view.uidNext(), "Predicted next UID.");
        return Reply.ok(c.readOnly() ? "READ-ONLY" : "READ-WRITE", c.name() + " completed.");
    }

    Reply check() throws IOException {
        session.view().state().refresh(true);
        return Reply.ok("CHECK completed.");
    }

    /** CLOSE expunges silently (when read-write); UNSELECT does not (RFC 3691). */
    Reply close(boolean expunge) throws IOException {
        var view = session.view();
        if (expunge && !view.readOnly()) {
            expungeCounted(view, deleted(view, allSequences(view)));
        }
        session.selected(null);
        return Reply.ok(expunge ? "CLOSE completed." : "UNSELECT completed.");
    }

    Reply expunge(Command.Expunge c) throws IOException {
        var view = session.view();
        if (view.readOnly()) {
            return Reply.no("READ-ONLY", "Mailbox is read-only.");
        }
        int[] seqs = allSequences(view);
        if (c.uids().isPresent()) {
            try {
                seqs = MessageSets.resolve(c.uids().get(), true, view);
            } catch (MessageSets.InvalidSet e) {
                return Reply.bad(e.getMessage());
            }
        }
        expungeCounted(view, deleted(view, seqs));
        return Reply.ok(c.name() + " completed.");
    }

    private void expungeCounted(MailboxView view, List<StoredMessage> messages) throws IOException {
        view.state().expunge(messages, view);
        session.context().metrics().messages(session.protocolName(), "expunge", messages.size());
    }

    private static int[] allSequences(MailboxView view) {
        int[] all = new int[view.count()];
        Arrays.setAll(all, i -> i + 1);
        return all;
    }

    private static List<StoredMessage> deleted(MailboxView view, int[] seqs) {
        var out = new ArrayList<StoredMessage>();
        for (int seq : seqs) {
            var m = view.message(seq);
            if (m.flags().contains(SystemFlag.DELETED)) {
                out.add(m);
            }
        }
        return out;
    }

    /** STORE (RFC 3501 §6.4.6). */
    Reply store(Command.Store c) throws IOException {
        var view = session.view();
        int[] seqs;
        Flags.Parsed flags;
        try {
            seqs = MessageSets.resolve(c.set(), c.uid(), view);
            flags = Flags.parse(c.flags());
        } catch (MessageSets.InvalidSet | ImapParseException e) {
            return Reply.bad(e.getMessage());
        }
        if (view.readOnly()) {
            return Reply.no("READ-ONLY", "Mailbox is read-only.");
        }
        var changes = new ArrayList<MailboxState.FlagChange>(seqs.length);
        for (int seq : seqs) {
            var m = view.message(seq);
            changes.add(new MailboxState.FlagChange(m, flags.system(), flags.keywords(), flagMode(c.mode())));
        }
        var updated = view.state().setFlags(changes);
        view.adopt(updated);
        if (c.mode() != Command.StoreMode.REMOVE && !updated.isEmpty()) {
            session.announceKeywords(flags.keywords());
        }
        if (!c.silent()) {
            var changedUids = new HashSet<Long>();
            updated.forEach(m -> changedUids.add(m.uid()));
            var writer = session.writer();
            for (int seq : seqs) {
                var m = view.message(seq);
                if (changedUids.contains(m.uid())) {
                    writer.untagged(seq + " FETCH (" + (c.uid() ? "UID " + m.uid() + " " : "")
                            + "FLAGS " + Flags.format(m, view.isRecent(m)) + ")");
                }
            }
        }
        return Reply.ok(c.name() + " completed.");
    }

    private static MailboxState.FlagMode flagMode(Command.StoreMode mode) {
        return switch (mode) {
            case REPLACE -> MailboxState.FlagMode.REPLACE;
            case ADD -> MailboxState.FlagMode.ADD;
            case REMOVE -> MailboxState.FlagMode.REMOVE;
        };
    }

    /** COPY (RFC 3501 §6.4.7) and MOVE (RFC 6851), with COPYUID (RFC 4315). */
    Reply copy(Command.Copy c) throws IOException {
        var view = session.view();
        int[] seqs;
        try {
            seqs = MessageSets.resolve(c.set(), c.uid(), view);
        } catch (MessageSets.InvalidSet e) {
            return Reply.bad(e.getMessage());
        }
        String target;
        try {
            target = MailboxCommands.decode(c.mailbox());
        } catch (MailboxCommands.BadName e) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        if (!session.mailStore().exists(target)) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        if (c.move() && view.readOnly()) {
            return Reply.no("READ-ONLY", "Mailbox is read-only.");
        }
        if (seqs.length == 0) {
            return Reply.ok(c.name() + " completed (no messages).");
        }
        // the copies keep the internal dates, and are named with the sizes (as Dovecot names them)
        view.learn(seqs, Set.of(Fact.FILE_STATUS), session.cancellation());
        var sources = new ArrayList<StoredMessage>(seqs.length);
        for (int seq : seqs) {
            sources.add(view.message(seq));
        }
        var targetState = session.context().indexCache().open(session.userName(), target);
        var copies = view.state().copyTo(targetState, sources);
        session.context().metrics().messages(session.protocolName(), "copy", copies.size());
        var code = "COPYUID " + targetState.current().uidValidity() + " "
                + uidList(sources) + " " + uidList(copies);
        if (!c.move()) {
            return Reply.ok(code, "COPY completed.");
        }
        session.writer().untaggedStatus(ImapWriter.Status.OK, code, "Moved UIDs.");
        expungeCounted(view, sources);
        return Reply.ok("MOVE completed.");
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
