package org.roost.imap.command;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.roost.acl.Right;
import org.roost.acl.Rights;
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.MailboxResponses;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.index.MailboxView;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;

/**
 * The selected mailbox of one session: its {@link MailboxView}, the keywords the client has been
 * told of, and the updates it is told of unsolicited (RFC 3501 §7: EXPUNGE, EXISTS, RECENT and
 * FETCH FLAGS, only where the RFC allows them; no RECENT for IMAP4rev2, RFC 9051 Appendix E item 12).
 */
public final class SelectedMailbox {
    private static final System.Logger LOG = System.getLogger(SelectedMailbox.class.getName());
    private final MailboxView view;
    /** The name the session selected it by (another user's mailbox has another name in its own state). */
    private final String name;
    private final String sessionId;
    /** The keywords the client was told of with FLAGS since it selected the mailbox. */
    private Set<String> announcedKeywords = Set.of();
    /** Fixed at selection: whether the mailbox keeps MODSEQs (what SELECT said: HIGHESTMODSEQ or NOMODSEQ). */
    private final boolean keepsModseqs;
    /** RFC 5182's search result variable, as UIDs: empty at selection, expunged messages drop out as they go. */
    private UidSet savedSearch = UidSet.empty();
    /** The searches kept up to date while this mailbox is selected (RFC 5267 §4.3). */
    private ResultUpdates resultUpdates = ResultUpdates.NONE;
    private final int binaryDecodeBuffer;
    /** The user's rights when the mailbox was selected, which PERMANENTFLAGS reflects (RFC 4314 §5.1.1). */
    private Rights rights = Rights.ALL;

    /** {@code binaryDecodeBuffer}: {@code limits.binaryDecodeBuffer}, for the FETCH BINARY of its messages. */
    public SelectedMailbox(MailboxView view, String name, String sessionId, int binaryDecodeBuffer) {
        this.view = view;
        this.name = name;
        this.sessionId = sessionId;
        this.keepsModseqs = view.state().keepsModseqs();
        this.binaryDecodeBuffer = binaryDecodeBuffer;
    }

    public MailboxView view() {
        return view;
    }

    /** The mailbox's name as the session knows it. */
    public String name() {
        return name;
    }

    /**
     * The bytes of each of the two buffers a FETCH BINARY of this mailbox's messages decodes through, solicited or
     * not (NOTIFY, CONTEXT=SEARCH updates): the session's, fixed at selection.
     */
    public int binaryDecodeBuffer() {
        return binaryDecodeBuffer;
    }

    /** SELECT's FLAGS and PERMANENTFLAGS: the system flags and {@code keywords}, which the client now knows. */
    public void announceFlags(ImapWriter writer, Set<String> keywords) throws IOException {
        announcedKeywords = Set.copyOf(keywords);
        MailboxResponses.flags(writer, keywords);
        if (view.readOnly() || Access.allFlags(rights)) {
            MailboxResponses.permanentFlags(writer, keywords, view.readOnly());
        } else {
            var names = Access.allowed(rights, EnumSet.allOf(SystemFlag.class)).stream().map(SystemFlag::imapName)
                    .collect(Collectors.toSet());
            MailboxResponses.permanentFlags(writer, names, keywords, rights.has(Right.WRITE));
        }
    }

    /** Records the user's rights on the mailbox as SELECT found them, before it announces the flags. */
    void rights(Rights rights) {
        this.rights = rights;
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

    /**
     * Tells the client what changed since it last heard: EXPUNGE (where {@code allowExpunge}; VANISHED
     * once QRESYNC is enabled, RFC 7162 §3.2.10.2, or UIDONLY, RFC 9586 §3.4), EXISTS, RECENT, FETCH FLAGS
     * (with UID, and MODSEQ once CONDSTORE is enabled, §3.2.4; UIDFETCH in UIDONLY mode, RFC 9586 §3.3).
     * Returns the sequence numbers of the messages new to the client.
     */
    public NewMessages reportChanges(ImapWriter writer, boolean allowExpunge, Set<Extension> enabled)
            throws IOException {
        try {
            view.state().refresh(false);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "session {0}: refresh failed: {1}", sessionId, e.getMessage());
        }
        int before = view.count();
        var changes = view.sync(allowExpunge);
        if (!changes.isEmpty()) {
            announceKeywords(writer, view.keywordsInUse());
        }
        resultUpdates.expunging(writer, changes.expungedSequences(), changes.expungedUids());
        if (writer.uidOnly() || (enabled.contains(Extension.QRESYNC) && modseqs())) {
            MailboxResponses.vanished(writer, false, UidSet.of(changes.expungedUids()));
        } else {
            for (int seq : changes.expungedSequences()) {
                MailboxResponses.expunge(writer, seq);
            }
        }
        if (changes.countChanged()) {
            MailboxResponses.exists(writer, view.count());
            if (view.seesRecent()) {
                MailboxResponses.recent(writer, view.recentCount());
            }
        }
        if (changes.flagChangedSequences().length > 0) {
            var out = new ResponseBuffer(writer.stream());
            var fetch = new FetchResponse(out, writer.uidOnly());
            boolean condstore = enabled.contains(Extension.CONDSTORE) && modseqs();
            for (int seq : changes.flagChangedSequences()) {
                var m = view.message(seq);
                fetch.begin(seq, m.uid()).impliedUid(m.uid()).flags(m, view.isRecent(m));
                if (condstore) {
                    fetch.modseq(view.modseq(seq));
                }
                fetch.end();
            }
            out.drain();
        }
        var news = new NewMessages(before - changes.expungedSequences().length + 1, view.count());
        resultUpdates.changed(writer, news, changes.flagChangedSequences());
        return news;
    }

    /**
     * Flag changes this session made itself ({@code seqs}: STORE, a FETCH that set \\Seen), once their FETCH
     * responses are written: the searches kept up to date hear of them as of any other change (RFC 5267 §4.3,
     * "as and when results change, whether by ... flags being changed").
     */
    public void ownFlagChanges(ImapWriter writer, int[] seqs) throws IOException {
        resultUpdates.changed(writer, NewMessages.NONE, seqs);
    }

    /** Sequence numbers {@code first} to {@code last} (none when {@code first > last}): messages the client has just been told of. */
    public record NewMessages(int first, int last) {
        /** No new message. */
        public static final NewMessages NONE = new NewMessages(1, 0);

        public int[] sequences() {
            return IntStream.rangeClosed(first, last).toArray();
        }
    }

    /**
     * Whether this mailbox reported HIGHESTMODSEQ rather than NOMODSEQ when selected (RFC 7162 §3.1.2):
     * the MODSEQ forms of the responses are for such mailboxes only.
     */
    public boolean modseqs() {
        return keepsModseqs;
    }

    /** What {@code $} names (RFC 5182): the UIDs the last SEARCH (SAVE) kept. */
    public UidSet savedSearch() {
        return savedSearch;
    }

    /** A SEARCH with SAVE (RFC 5182 §2.1): {@code $} names these UIDs from now on. */
    public void saveSearch(UidSet uids) {
        savedSearch = uids;
    }

    /** The searches kept up to date (CONTEXT=SEARCH), {@link ResultUpdates#NONE} until one is asked for. */
    public ResultUpdates resultUpdates() {
        return resultUpdates;
    }

    public void resultUpdates(ResultUpdates updates) {
        resultUpdates = updates;
    }

    /** Closes the view (the session leaves the mailbox). */
    public void close() {
        view.close();
    }
}
