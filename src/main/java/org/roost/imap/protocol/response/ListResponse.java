package org.roost.imap.protocol.response;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/** LIST and LSUB data (RFC 3501 §7.2.2, §7.2.3): {@code * LIST (attributes) "delimiter" name}. */
public final class ListResponse {
    private ListResponse() {}

    /** {@code command} is LIST or LSUB; {@code wireName} the name as clients see it (modified UTF-7). */
    public static void write(ImapWriter writer, String command, String attributes, char delimiter, String wireName)
            throws IOException {
        writer.untagged(command + " (" + attributes + ") \"" + delimiter + "\" " + ImapStrings.astring(wireName));
    }

    /**
     * An extended LIST response (RFC 5258 §6 {@code mailbox-list}), with {@code ("CHILDINFO" ("SUBSCRIBED"))}
     * when {@code childInfo} (§3.5: a descendant is subscribed).
     */
    public static void write(ImapWriter writer, List<ListAttribute> attributes, char delimiter, String wireName,
            boolean childInfo) throws IOException {
        var flags = attributes.stream().map(ListAttribute::wireName).collect(Collectors.joining(" "));
        writer.untagged("LIST (" + flags + ") \"" + delimiter + "\" " + ImapStrings.astring(wireName)
                + (childInfo ? " (\"CHILDINFO\" (\"SUBSCRIBED\"))" : ""));
    }

    /** A LIST of a renamed mailbox, with its old name (RFC 5465 §5.4, the OLDNAME item of RFC 5258). */
    public static void renamed(ImapWriter writer, String attributes, char delimiter, String wireName, String oldWireName)
            throws IOException {
        writer.untagged("LIST (" + attributes + ") \"" + delimiter + "\" " + ImapStrings.astring(wireName)
                + " (\"OLDNAME\" (" + ImapStrings.astring(oldWireName) + "))");
    }
}
