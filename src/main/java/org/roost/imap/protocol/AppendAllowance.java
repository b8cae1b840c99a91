package org.roost.imap.protocol;

import java.io.IOException;
import org.roost.net.ProtocolViolation;

/**
 * What is left to one APPEND (or REPLACE) command, which MULTIAPPEND (RFC 3502) lets carry any number of
 * messages: how many more messages it may carry, and how many of its literal bytes may still wait in memory
 * (the rest wait in the spool directory); and how many parts one CATENATE may join (RFC 4469).
 */
final class AppendAllowance {
    private final ParserSettings settings;
    private int messages;
    private long memory = MessageLiteral.MEMORY_LIMIT;

    AppendAllowance(ParserSettings settings) {
        this.settings = settings;
    }

    /** Counts one more message, refused before its literal is asked for. */
    void countMessage() throws ImapParseException {
        if (++messages > settings.maxAppendMessages()) {
            throw new ImapParseException("Too many messages in one APPEND (at most " + settings.maxAppendMessages()
                    + ")");
        }
    }

    /** Refuses one more part of a CATENATE that has {@code parts} already. */
    void countPart(int parts) throws ImapParseException {
        if (parts >= settings.maxCatenateParts()) {
            throw new ImapParseException("Too many parts to catenate (at most " + settings.maxCatenateParts() + ")");
        }
    }

    /** Reads a literal or literal8 (RFC 3516 §4.4), its header included, in memory while the command's share lasts. */
    MessageLiteral literal(ImapReader reader) throws IOException, ProtocolViolation, ImapParseException {
        var header = reader.messageLiteralHeader();
        boolean inMemory = header.size() <= memory;
        if (inMemory) {
            memory -= header.size();
        }
        return MessageLiteral.read(reader, header, settings.spoolDirectory(), inMemory);
    }
}
