package org.roost.managesieve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes ManageSieve responses (RFC 5804 §4): strings as quoted strings where the grammar allows (at most 1024
 * octets, no CR, LF or NUL), else as literals ({@code {n}} CRLF octets).
 */
final class ManageSieveWriter {
    private static final int MAX_QUOTED = 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private final OutputStream out;

    ManageSieveWriter(OutputStream out) {
        this.out = out;
    }

    /** One capability line (RFC 5804 §1.7): the name and, when not null, its value. */
    ManageSieveWriter capability(String name, String value) throws IOException {
        string(bytes(name));
        if (value != null) {
            out.write(' ');
            string(bytes(value));
        }
        return endLine();
    }

    /** A LISTSCRIPTS line: the name, and the atom ACTIVE for the active script (RFC 5804 §2.7). */
    ManageSieveWriter scriptName(String name, boolean active) throws IOException {
        string(bytes(name));
        if (active) {
            out.write(bytes(" ACTIVE"));
        }
        return endLine();
    }

    /** GETSCRIPT's script on a line of its own, always a literal (it has lines; RFC 5804 §2.9). */
    ManageSieveWriter script(byte[] content) throws IOException {
        literal(content);
        return endLine();
    }

    /** A string on a line of its own: a SASL challenge (RFC 5804 §2.1). */
    ManageSieveWriter stringLine(byte[] content) throws IOException {
        string(content);
        return endLine();
    }

    ManageSieveWriter reply(Reply reply) throws IOException {
        out.write(bytes(reply.status().name()));
        if (reply.code().isPresent()) {
            var code = reply.code().get();
            out.write(bytes(" (" + code.name()));
            if (code.argument().isPresent()) {
                out.write(' ');
                string(code.argument().get());
            }
            out.write(')');
        }
        if (!reply.text().isEmpty()) {
            out.write(' ');
            string(bytes(reply.text()));
        }
        return endLine();
    }

    void flush() throws IOException {
        out.flush();
    }

    private ManageSieveWriter endLine() throws IOException {
        out.write(CRLF);
        return this;
    }

    private void string(byte[] value) throws IOException {
        if (!quotable(value)) {
            literal(value);
            return;
        }
        out.write('"');
        for (byte b : value) {
            if (b == '"' || b == '\\') {
                out.write('\\');
            }
            out.write(b);
        }
        out.write('"');
    }

    private void literal(byte[] value) throws IOException {
        out.write(bytes("{" + value.length + "}"));
        out.write(CRLF);
        out.write(value);
    }

    private static boolean quotable(byte[] value) {
        if (value.length > MAX_QUOTED) {
            return false;
        }
        for (byte b : value) {
            if (b == '\r' || b == '\n' || b == 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
