package org.roost.imap.protocol.response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** Writes IMAP responses (RFC 3501 §7). Responses are buffered until {@link #flush()}. */
public final class ImapWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private final OutputStream out;
    /** Whether the session's client enabled UIDONLY (RFC 9586), asked of the session each time. */
    private final BooleanSupplier uidOnly;

    public ImapWriter(OutputStream out) {
        this(out, () -> false);
    }

    public ImapWriter(OutputStream out, BooleanSupplier uidOnly) {
        this.out = out;
        this.uidOnly = uidOnly;
    }

    /**
     * Whether messages are named by UID only in this session's responses (RFC 9586 §3): UIDFETCH for
     * FETCH, VANISHED for EXPUNGE, no sequence number anywhere.
     */
    public boolean uidOnly() {
        return uidOnly.getAsBoolean();
    }

    public enum Status { OK, NO, BAD, PREAUTH, BYE }

    /** {@code * <text>}. */
    public ImapWriter untagged(String text) throws IOException {
        ascii("* ");
        ascii(text);
        return endLine();
    }

    /** {@code <tag> <status> [<code>] <text>}; {@code code} may be null. */
    public ImapWriter tagged(String tag, Status status, String code, String text) throws IOException {
        ascii(tag);
        ascii(" ");
        return statusLine(status, code, text);
    }

    /** {@code * <status> [<code>] <text>}. */
    public ImapWriter untaggedStatus(Status status, String code, String text) throws IOException {
        ascii("* ");
        return statusLine(status, code, text);
    }

    private ImapWriter statusLine(Status status, String code, String text) throws IOException {
        ascii(status.name());
        ascii(" ");
        if (code != null) {
            ascii("[");
            ascii(code);
            ascii("] ");
        }
        ascii(text);
        return endLine();
    }

    /** {@code + <text>}: a continuation request. */
    public ImapWriter continuation(String text) throws IOException {
        ascii("+ ");
        ascii(text);
        return endLine();
    }

    public ImapWriter ascii(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public ImapWriter bytes(byte[] data) throws IOException {
        out.write(data);
        return this;
    }

    public ImapWriter endLine() throws IOException {
        out.write(CRLF);
        return this;
    }

    public OutputStream stream() {
        return out;
    }

    public void flush() throws IOException {
        out.flush();
    }
}
