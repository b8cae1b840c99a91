package org.roost.imap.command;

import java.io.IOException;
import org.roost.imap.protocol.response.ImapWriter;

/**
 * The searches whose results the client asked to be kept up to date (CONTEXT=SEARCH's UPDATE, RFC 5267
 * §4.3), told of each change where {@link SelectedMailbox#reportChanges} reports it: REMOVEFROM for
 * expunged results before the expunges (their sequence numbers still valid, §4.3.4), ADDTO and REMOVEFROM
 * for new and changed messages after the EXISTS and FETCH responses (§4.3.3).
 */
public interface ResultUpdates {
    /** No search kept up to date. */
    ResultUpdates NONE = new ResultUpdates() {
        @Override
        public void expunging(ImapWriter writer, int[] seqs, long[] uids) {
        }

        @Override
        public void changed(ImapWriter writer, SelectedMailbox.NewMessages news, int[] flagChanged) {
        }
    };

    /** The messages {@code uids} (sequence numbers {@code seqs}, pairwise) are about to be reported expunged. */
    void expunging(ImapWriter writer, int[] seqs, long[] uids) throws IOException;

    /** {@code news} arrived and the messages {@code flagChanged} (sequence numbers) changed, all reported. */
    void changed(ImapWriter writer, SelectedMailbox.NewMessages news, int[] flagChanged) throws IOException;
}
