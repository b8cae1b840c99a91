package org.roost.imap.protocol.response;

import java.io.IOException;
import java.util.List;

/** STATUS data (RFC 3501 §7.2.4): {@code * STATUS name (item value ...)}, the items in the order asked. */
public final class StatusResponse {
    private StatusResponse() {}

    /** One item and its value as sent (a number, or MAILBOXID's parenthesized objectid). */
    public record Item(String name, String value) {
        public Item(String name, long value) {
            this(name, Long.toString(value));
        }
    }

    /** {@code wireName} is the name as clients see it (modified UTF-7). */
    public static void write(ImapWriter writer, String wireName, List<Item> items) throws IOException {
        var sb = new StringBuilder("STATUS ").append(ImapStrings.astring(wireName)).append(" (");
        for (int i = 0; i < items.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(items.get(i).name()).append(' ').append(items.get(i).value());
        }
        writer.untagged(sb.append(')').toString());
    }
}
