package org.roost.testing;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailboxStore;

/** What a store that allocates MODSEQs says of each message when scanned: UID to MODSEQ, in UID order. */
public final class ScannedModseqs {
    private ScannedModseqs() {
    }

    /** Each message's MODSEQ as {@code mailbox}'s scan gives it; a message scanned without one fails the test. */
    public static Map<Long, Long> of(MailboxStore mailbox) throws IOException {
        var modseqs = new TreeMap<Long, Long>();
        mailbox.scan(new MailboxStore.ScanConsumer() {
            @Override
            public void expect(int messages) {
            }

            @Override
            public void accept(StoredMessage message) {
                throw new AssertionError("every message comes with its MODSEQ");
            }

            @Override
            public void accept(StoredMessage message, long modseq) {
                modseqs.put(message.uid(), modseq);
            }
        });
        return modseqs;
    }
}
