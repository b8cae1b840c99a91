package org.roost.pop3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes POP3 status lines, multi-line responses and SASL challenges (RFC 1939 §3, RFC 2449 §8, RFC 5034 §4). */
final class Pop3Writer {
    private final OutputStream out;
    private final DotStuffingOutputStream body;

    Pop3Writer(OutputStream out) {
        this.out = out;
        this.body = new DotStuffingOutputStream(out);
    }

    Pop3Writer ok(String text) throws IOException {
        return line(text.isEmpty() ? "+OK" : "+OK " + text);
    }

    /** {@code code} is an RFC 2449 response code such as "IN-USE" or "AUTH", or null. */
    Pop3Writer err(String code, String text) throws IOException {
        return line(code == null ? "-ERR " + text : "-ERR [" + code + "] " + text);
    }

    Pop3Writer reply(Pop3Reply reply) throws IOException {
        if (reply.alreadySent()) {
            return this;
        }
        return reply.ok() ? ok(reply.text()) : err(reply.code(), reply.text());
    }

    /** A SASL challenge; an empty one is "+ " with nothing after the space (RFC 5034 §4). */
    Pop3Writer challenge(String base64) throws IOException {
        return line("+ " + base64);
    }

    /** One line inside a multi-line response; the caller guarantees it does not start with ".". */
    Pop3Writer dataLine(String text) throws IOException {
        return line(text);
    }

    /** The stream for a multi-line body: dot-stuffed, to be ended with {@link #endMultiline()}. */
    OutputStream multilineBody() {
        return body;
    }

    Pop3Writer endMultiline() throws IOException {
        body.finish();
        return this;
    }

    void flush() throws IOException {
        out.flush();
    }

    private Pop3Writer line(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        return this;
    }
}
