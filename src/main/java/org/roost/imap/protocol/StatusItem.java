package org.roost.imap.protocol;

import java.util.Optional;

/**
 * A {@code status-att} of RFC 3501 §6.3.10 (SIZE of RFC 8438; HIGHESTMODSEQ of RFC 7162; DELETED and
 * DELETED-STORAGE of RFC 9208 §4.1.4; MAILBOXID of RFC 8474), with its name on the wire.
 */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, SIZE, HIGHESTMODSEQ, DELETED, DELETED_STORAGE("DELETED-STORAGE"),
    /** RFC 8474 §4.3. */
    MAILBOXID;

    private final String wireName;

    StatusItem() {
        this.wireName = name();
    }

    StatusItem(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The item of an upper-case name. */
    static Optional<StatusItem> named(String name) {
        for (var item : values()) {
            if (item.wireName.equals(name)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }
}
