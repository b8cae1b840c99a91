package org.roost.imap.protocol;

import java.io.IOException;
import org.roost.net.ProtocolViolation;

/** The grammar rule of one command name (RFC 3501 §9 {@code command}): its arguments into a value. */
@FunctionalInterface
public interface Syntax<C extends Command> {

    /**
     * Parses what follows the command's name, up to the line end (which the caller reads). A
     * grammar error is an {@link ImapParseException}, answered with BAD.
     */
    C parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException;
}
