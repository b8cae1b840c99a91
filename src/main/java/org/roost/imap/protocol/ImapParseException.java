package org.roost.imap.protocol;

/** A command that does not follow the grammar of RFC 3501 §9; answered with BAD, the session goes on. */
public class ImapParseException extends Exception {
    public ImapParseException(String message) {
        super(message, null, false, false);
    }
}
