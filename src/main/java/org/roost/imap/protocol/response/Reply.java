package org.roost.imap.protocol.response;

import org.roost.imap.protocol.response.ImapWriter.Status;

/** The tagged completion of a command: status, optional response code (RFC 3501 §7.1), text. */
public record Reply(Status status, String code, String text) {
    public static Reply ok(String text) {
        return new Reply(Status.OK, null, text);
    }

    public static Reply ok(String code, String text) {
        return new Reply(Status.OK, code, text);
    }

    public static Reply no(String text) {
        return new Reply(Status.NO, null, text);
    }

    public static Reply no(String code, String text) {
        return new Reply(Status.NO, code, text);
    }

    public static Reply bad(String text) {
        return new Reply(Status.BAD, null, text);
    }

    public static Reply bad(String code, String text) {
        return new Reply(Status.BAD, code, text);
    }
}
