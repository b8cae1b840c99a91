package org.roost.imap.protocol.response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The METADATA response (RFC 5464 §4.4): with values, answering GETMETADATA, or with names only, telling of a
 * change. The mailbox is always quoted, as in the RFC's examples ({@code ""} is the server).
 */
public final class MetadataResponse {
    /** Longer values go as literals, which every client reads without scanning for quotes. */
    private static final int MAX_QUOTED = 1024;

    private MetadataResponse() {}

    /** One entry and its value (null: NIL, the entry does not exist). */
    public record Entry(String name, byte[] value) {}

    /** {@code * METADATA mailbox (entry value *(SP entry value))}; {@code entries} not empty. */
    public static void values(ImapWriter writer, String wireMailbox, List<Entry> entries) throws IOException {
        writer.ascii("* METADATA ").latin1(ImapStrings.quoted(wireMailbox)).ascii(" (");
        for (int i = 0; i < entries.size(); i++) {
            var entry = entries.get(i);
            writer.ascii(i == 0 ? "" : " ").ascii(ImapStrings.astring(entry.name())).ascii(" ");
            value(writer, entry.value());
        }
        writer.ascii(")").endLine();
    }

    /** {@code * METADATA mailbox entry *(SP entry)}: the names of entries that changed (§4.4.2). */
    public static void changed(ImapWriter writer, String wireMailbox, List<String> names) throws IOException {
        var sb = new StringBuilder("METADATA ").append(ImapStrings.quoted(wireMailbox));
        names.forEach(name -> sb.append(' ').append(ImapStrings.astring(name)));
        writer.untagged(sb.toString());
    }

    /** NIL, a quoted string, a literal, or a literal8 when the value holds NUL ({@code value = nstring / literal8}). */
    private static void value(ImapWriter writer, byte[] value) throws IOException {
        if (value == null) {
            writer.ascii("NIL");
        } else if (quotable(value)) {
            var text = new String(value, StandardCharsets.US_ASCII);
            writer.ascii("\"").ascii(text.replace("\\", "\\\\").replace("\"", "\\\"")).ascii("\"");
        } else {
            writer.ascii(contains(value, (byte) 0) ? "~{" : "{").ascii(value.length + "}").endLine().bytes(value);
        }
    }

    private static boolean quotable(byte[] value) {
        if (value.length > MAX_QUOTED) {
            return false;
        }
        for (byte b : value) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] value, byte wanted) {
        for (byte b : value) {
            if (b == wanted) {
                return true;
            }
        }
        return false;
    }
}
