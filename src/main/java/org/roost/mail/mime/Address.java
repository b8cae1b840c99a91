package org.roost.mail.mime;

import java.util.List;

/**
 * One ENVELOPE address (RFC 3501 §7.4.2): name, source route (adl), mailbox, host. Values are raw
 * header bytes, one char per byte; null is NIL. RFC 2822 groups appear as a start marker
 * (mailbox = group name, host = null) and an end marker (all four null).
 */
public record Address(String name, String adl, String mailbox, String host) {
    public boolean isGroupStart() {
        return host == null && mailbox != null;
    }

    public boolean isGroupEnd() {
        return name == null && adl == null && mailbox == null && host == null;
    }

    /** The addresses of one raw header value (RFC 5322 address-list, read leniently); empty when it holds none. */
    public static List<Address> parseList(String rawValue) {
        var list = AddressParser.parse(rawValue);
        return list == null ? List.of() : list;
    }
}
