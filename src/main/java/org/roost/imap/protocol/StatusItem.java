package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.roost.net.ProtocolViolation;

/**
 * A {@code status-att} of RFC 3501 §6.3.10 (SIZE of RFC 8438; HIGHESTMODSEQ of RFC 7162; DELETED and
 * DELETED-STORAGE of RFC 9208 §4.1.4; APPENDLIMIT of RFC 7889 §3.1; MAILBOXID of RFC 8474 §4.3), with its name on
 * the wire.
 */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, SIZE, HIGHESTMODSEQ, DELETED, DELETED_STORAGE("DELETED-STORAGE"),
    APPENDLIMIT, MAILBOXID;

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

    /** {@code "(" status-att *(SP status-att) ")"}, in the order given. */
    static List<StatusItem> list(ImapReader reader) throws IOException, ProtocolViolation, ImapParseException {
        reader.expect('(', "'(' before the status items");
        var items = new ArrayList<StatusItem>();
        while (true) {
            var name = reader.atom().toUpperCase(Locale.ROOT);
            items.add(named(name)
                    .orElseThrow(() -> new ImapParseException("Unknown status item " + Arguments.printable(name))));
            if (reader.peek() == ')') {
                reader.next();
                return List.copyOf(items);
            }
            reader.space();
        }
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
