package org.roost.imap.command;

import java.io.IOException;
import java.util.Arrays;
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.imap.protocol.response.MailboxResponses;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.index.MailboxView;
import org.roost.mail.UidSet;
import org.roost.net.Cancellation;

/**
 * What SELECT (QRESYNC) and UID FETCH (CHANGEDSINCE ... VANISHED) share (RFC 7162 §3.2.5.1: the one
 * is "semantically equivalent" to the other): the messages changed after a MODSEQ, and the UIDs
 * gone since.
 */
public final class Resync {
    /** A filter costs nanoseconds a message: the client's going away is checked every this many. */
    private static final int CHECK_MASK = 1023;

    private Resync() {}

    /** The sequence numbers among {@code seqs} whose MODSEQ is above {@code modseq} (CHANGEDSINCE, §3.1.4.1). */
    public static int[] changedSince(MailboxView view, int[] seqs, long modseq, Cancellation cancellation)
            throws IOException {
        var out = new int[Math.min(seqs.length, 1024)];
        int n = 0;
        for (int k = 0; k < seqs.length; k++) {
            if ((k & CHECK_MASK) == 0) {
                cancellation.check();
            }
            if (view.modseq(seqs[k]) > modseq) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = seqs[k];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The sequence numbers of the messages whose UID is in {@code uids} and whose MODSEQ is above
     * {@code modseq}: one pass over the MODSEQ column, the set looked up only for those that changed,
     * so a {@code UID FETCH 1:*} of a million messages never becomes a million sequence numbers.
     */
    public static int[] changedSince(MailboxView view, UidSet uids, long modseq, Cancellation cancellation)
            throws IOException {
        var out = new int[64];
        int n = 0;
        for (int seq = 1; seq <= view.count(); seq++) {
            if ((seq & CHECK_MASK) == 0) {
                cancellation.check();
            }
            if (view.modseq(seq) > modseq && uids.contains(view.uid(seq))) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = seq;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code * VANISHED (EARLIER) ...}: the UIDs of {@code within} gone after {@code modseq} (§3.2.6). */
    public static void vanishedEarlier(ImapWriter writer, MailboxView view, long modseq, UidSet within)
            throws IOException {
        MailboxResponses.vanished(writer, true, view.vanishedSince(modseq, within));
    }

    /**
     * {@code * n FETCH (UID u FLAGS (...) MODSEQ (m))} for each of {@code seqs}, {@code * u UIDFETCH (FLAGS (...)
     * MODSEQ (m))} in UIDONLY mode: the flag changes a client catches up on.
     */
    public static void flagsWithModseq(ImapWriter writer, MailboxView view, int[] seqs) throws IOException {
        var out = new ResponseBuffer(writer.stream());
        var fetch = new FetchResponse(out, writer.uidOnly());
        for (int seq : seqs) {
            var m = view.message(seq);
            fetch.begin(seq, m.uid()).impliedUid(m.uid()).flags(m, view.isRecent(m)).modseq(view.modseq(seq)).end();
        }
        out.drain();
    }
}
