package org.roost.imap.command;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.TreeSet;
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.MailboxResponses;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.index.MailboxView;

/**
 * The selected mailbox of one session: its {@link MailboxView}, the keywords the client has been
 * told of, and the updates it is told of unsolicited (RFC 3501 §7: EXPUNGE, EXISTS, RECENT and
 * FETCH FLAGS, only where the RFC allows them).
 */
public final class SelectedMailbox {
    private static final System.Logger LOG = System.getLogger(SelectedMailbox.class.getName());
    private final MailboxView view;
    private final String sessionId;
    /** The keywords the client was told of with FLAGS since it selected the mailbox. */
    private Set<String> announcedKeywords = Set.of();

    public SelectedMailbox(MailboxView view, String sessionId) {
        this.view = view;
        this.sessionId = sessionId;
    }

    public MailboxView view() {
        return view;
    }

    /** SELECT's FLAGS and PERMANENTFLAGS: the system flags and {@code keywords}, which the client now knows. */
    public void announceFlags(ImapWriter writer, Set<String> keywords) throws IOException {
        announcedKeywords = Set.copyOf(keywords);
        MailboxResponses.flags(writer, keywords);
        MailboxResponses.permanentFlags(writer, keywords, view.readOnly());
    }

    /**
     * A keyword new to the mailbox is announced with FLAGS and PERMANENTFLAGS again before a FETCH
     * shows it (RFC 3501 §7.2.6: FLAGS names the flags applicable to the mailbox), as Dovecot does.
     */
    public void announceKeywords(ImapWriter writer, Set<String> inUse) throws IOException {
        if (!announcedKeywords.containsAll(inUse)) {
            var all = new TreeSet<>(announcedKeywords);
            all.addAll(inUse);
            announceFlags(writer, all);
        }
    }

    /** Tells the client what changed since it last heard: EXPUNGE (where {@code allowExpunge}), EXISTS, RECENT, FETCH FLAGS. */
    public void reportChanges(ImapWriter writer, boolean allowExpunge) throws IOException {
        try {
            view.state().refresh(false);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "session {0}: refresh failed: {1}", sessionId, e.getMessage());
        }
        var changes = view.sync(allowExpunge);
        if (!changes.isEmpty()) {
            announceKeywords(writer, view.keywordsInUse());
        }
        for (int seq : changes.expungedSequences()) {
            MailboxResponses.expunge(writer, seq);
        }
        if (changes.countChanged()) {
            MailboxResponses.exists(writer, view.count());
            MailboxResponses.recent(writer, view.recentCount());
        }
        if (changes.flagChangedSequences().length > 0) {
            var out = new ResponseBuffer(writer.stream());
            var fetch = new FetchResponse(out);
            for (int seq : changes.flagChangedSequences()) {
                var m = view.message(seq);
                fetch.begin(seq).uid(m.uid()).flags(m, view.isRecent(m)).end();
            }
            out.drain();
        }
    }

    /** Closes the view (the session leaves the mailbox). */
    public void close() {
        view.close();
    }
}
