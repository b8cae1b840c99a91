package org.roost.mail.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message's top-level header and its envelope: what sorting and threading read of a message. Read
 * alone ({@link #read}) it costs a bounded prefix of the message and no MIME parse; it is then the same
 * as the one its {@link MessageStructure} keeps.
 */
public final class MessageHeader {
    private final Envelope envelope;
    private final byte[] header;

    MessageHeader(Envelope envelope, byte[] header) {
        this.envelope = envelope;
        this.header = header;
    }

    /** The header of a parsed message. */
    public static MessageHeader of(MessageStructure structure) {
        return new MessageHeader(structure.envelope(), structure.root().header());
    }

    /** The header of a CRLF-normalized message, read up to its blank line (or {@link MessageStructure.Limits#DEFAULT}'s cap). */
    public static MessageHeader read(InputStream normalized) throws IOException {
        return MessageParser.parseHeader(normalized, MessageStructure.Limits.DEFAULT);
    }

    public Envelope envelope() {
        return envelope;
    }

    /** The header's bytes as kept (up to {@link MessageStructure.Limits#maxHeaderBytes()}). */
    byte[] header() {
        return header;
    }

    /** The values of the fields with this name (raw, unfolded), in order. */
    public List<String> values(String name) {
        return values(header, name);
    }

    static List<String> values(byte[] header, String name) {
        var values = new ArrayList<String>();
        var wanted = name.toLowerCase(Locale.ROOT);
        for (HeaderField f : HeaderParser.parse(header)) {
            if (f.value() != null && f.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                values.add(f.value());
            }
        }
        return values;
    }
}
