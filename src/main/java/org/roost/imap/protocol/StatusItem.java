package org.roost.imap.protocol;

import java.util.Optional;

/** A {@code status-att} of RFC 3501 §6.3.10 (SIZE of RFC 8438; HIGHESTMODSEQ of RFC 7162). */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, SIZE, HIGHESTMODSEQ;

    /** The item of an upper-case name. */
    static Optional<StatusItem> named(String name) {
        for (var item : values()) {
            if (item.name().equals(name)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }
}
