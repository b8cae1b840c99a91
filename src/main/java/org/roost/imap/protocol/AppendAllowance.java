package org.roost.imap.protocol;

import java.io.IOException;
import org.roost.net.ProtocolViolation;

/**
 * What is left to one APPEND (or REPLACE) command, which MULTIAPPEND (RFC 3502) lets carry any number of
 * messages: how many more messages it may carry, and how many of its literal bytes may still wait in memory
 * (the rest wait in the spool directory).
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

    /** Reads a literal (its header included), in memory while the command's share lasts. */
    MessageLiteral literal(ImapReader reader) throws IOException, ProtocolViolation, ImapParseException {
        var header = reader.literalHeader();
        boolean inMemory = header.size() <= memory;
        if (inMemory) {
            memory -= header.size();
        }
        return MessageLiteral.read(reader, header.size(), settings.spoolDirectory(), inMemory);
    }
}
