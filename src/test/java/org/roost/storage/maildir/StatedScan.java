package org.roost.storage.maildir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.roost.storage.MailboxStore;
import org.roost.mail.StoredMessage;

/** A scan whose messages carry what their files tell, as the index looks it up for a command (for tests). */
final class StatedScan {
    private StatedScan() {
    }

    static List<StoredMessage> of(MailboxStore mailbox) throws IOException {
        var stated = new ArrayList<StoredMessage>();
        for (var m : mailbox.scan()) {
            stated.add(mailbox.stat(m));
        }
        return stated;
    }
}
