package org.roost.imap.protocol.response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.roost.mail.mime.Address;
import org.roost.mail.mime.BodyStructure;
import org.roost.mail.mime.Envelope;
import org.roost.mail.mime.Param;

/**
 * Writes ENVELOPE, BODY and BODYSTRUCTURE (RFC 3501 §7.4.2) as IMAP wire bytes, byte-identical to
 * Dovecot 2.3 for the same message (so clients that cache structure see no difference when a mail
 * store moves between the two servers). Strings in the model are raw header bytes, one char per byte.
 */
public final class StructureFormatter {
    /** Dovecot switches from quoted to literal after this many backslash-escapes. */
    private static final int QUOTED_MAX_ESCAPES = 4;
    /** U+FFFD in UTF-8, one char per byte: Dovecot's stand-in for a NUL. */
    private static final String REPLACEMENT_CHAR = "\u00ef\u00bf\u00bd";

    private StructureFormatter() {
    }

    /** Writes the parenthesized ENVELOPE value. */
    public static void writeEnvelope(OutputStream out, Envelope env) throws IOException {
        out.write('(');
        writeNStringNoLf(out, env.date());
        out.write(' ');
        if (env.subject() == null) {
            ascii(out, "NIL");
        } else {
            writeStringForHumans(out, env.subject());
        }
        for (List<Address> list : Arrays.asList(env.from(), env.sender(), env.replyTo(), env.to(),
                env.cc(), env.bcc())) {
            out.write(' ');
            writeAddresses(out, list);
        }
        out.write(' ');
        writeNStringNoLf(out, env.inReplyTo());
        out.write(' ');
        writeNStringNoLf(out, env.messageId());
        out.write(')');
    }

    /** Writes the non-extensible BODY value. */
    public static void writeBody(OutputStream out, BodyStructure body) throws IOException {
        writeStructure(out, body, false);
    }

    /** Writes the BODYSTRUCTURE value, with extension data. */
    public static void writeBodyStructure(OutputStream out, BodyStructure body) throws IOException {
        writeStructure(out, body, true);
    }

    /**
     * Writes an IMAP nstring for raw bytes given one char per byte: NIL for null; a quoted string
     * when every byte is a 7-bit TEXT-CHAR (no NUL, CR or LF) with at most four {@code "}/{@code \}
     * to escape (Dovecot's choice; beyond that a literal is shorter); otherwise a literal
     * {@code {n}\r\n<bytes>}.
     */
    public static void writeNString(OutputStream out, String raw) throws IOException {
        if (raw == null) {
            ascii(out, "NIL");
            return;
        }
        int escapes = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"' || c == '\\') {
                if (++escapes > QUOTED_MAX_ESCAPES) {
                    writeLiteral(out, raw);
                    return;
                }
            } else if (c == '\r' || c == '\n' || c == 0 || c >= 0x80) {
                writeLiteral(out, raw);
                return;
            }
        }
        out.write('"');
        if (escapes == 0) {
            ascii(out, raw); // the common case, in one write
        } else {
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"' || c == '\\') {
                    out.write('\\');
                }
                out.write(c);
            }
        }
        out.write('"');
    }

    /** {@link #writeNString(OutputStream, String)} for a byte array (null = NIL). */
    public static void writeNString(OutputStream out, byte[] bytes) throws IOException {
        writeNString(out, bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** An nstring with CR/LF of folded header lines removed (a space kept between the lines). */
    static void writeNStringNoLf(OutputStream out, String raw) throws IOException {
        if (raw == null || (raw.indexOf('\r') < 0 && raw.indexOf('\n') < 0)) {
            writeNString(out, raw);
            return;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\r' && c != '\n') {
                sb.append(c);
            } else if (i + 1 < raw.length() && " \t\r\n".indexOf(raw.charAt(i + 1)) < 0) {
                sb.append(' ');
            }
        }
        writeNString(out, sb.toString());
    }

    /**
     * Subject and display names, cleaned for humans as Dovecot does: each run of spaces, tabs, CRs
     * and LFs made one space, leading and trailing ones dropped, NUL shown as U+FFFD; a value that
     * needed cleaning, has {@code "}/{@code \} or 8-bit bytes goes as a literal.
     */
    static void writeStringForHumans(OutputStream out, String raw) throws IOException {
        int removed = 0;
        boolean lastLwsp = true;
        boolean whitespacePrefix = true;
        boolean modify = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case 0 -> {
                    lastLwsp = false;
                    modify = true;
                }
                case '\t', ' ', '\r', '\n' -> {
                    if (c != ' ') {
                        modify = true;
                    }
                    if (lastLwsp) {
                        modify = true;
                        removed++;
                    }
                    lastLwsp = true;
                }
                case '"', '\\' -> {
                    modify = true;
                    lastLwsp = false;
                }
                default -> {
                    if (c >= 0x80) {
                        modify = true;
                    }
                    lastLwsp = false;
                }
            }
            if (!lastLwsp) {
                whitespacePrefix = false;
            }
        }
        if (lastLwsp && !raw.isEmpty() && !whitespacePrefix) {
            modify = true;
            removed++;
        }
        if (!modify) {
            out.write('"');
            ascii(out, raw);
            out.write('"');
            return;
        }
        if (raw.length() == removed) {
            ascii(out, "\"\"");
            return;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        lastLwsp = true;
        whitespacePrefix = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case 0 -> {
                    sb.append(REPLACEMENT_CHAR);
                    lastLwsp = false;
                }
                case '\t', ' ', '\r', '\n' -> {
                    if (!lastLwsp) {
                        sb.append(' ');
                    }
                    lastLwsp = true;
                }
                default -> {
                    lastLwsp = false;
                    sb.append(c);
                }
            }
            if (!lastLwsp) {
                whitespacePrefix = false;
            }
        }
        if (lastLwsp && !raw.isEmpty() && !whitespacePrefix) {
            sb.setLength(sb.length() - 1);
        }
        writeLiteral(out, sb.toString());
    }

    private static void writeAddresses(OutputStream out, List<Address> list) throws IOException {
        if (list == null) {
            ascii(out, "NIL");
            return;
        }
        out.write('(');
        for (Address a : list) {
            out.write('(');
            if (a.name() == null) {
                ascii(out, "NIL");
            } else {
                writeStringForHumans(out, a.name());
            }
            out.write(' ');
            writeNString(out, a.adl());
            out.write(' ');
            writeNString(out, a.mailbox());
            out.write(' ');
            writeNString(out, a.host());
            out.write(')');
        }
        out.write(')');
    }

    private static void writeStructure(OutputStream out, BodyStructure body, boolean extended)
            throws IOException {
        out.write('(');
        switch (body) {
            case BodyStructure.Multi m -> {
                for (BodyStructure child : m.children()) {
                    writeStructure(out, child, extended);
                }
                out.write(' ');
                writeNString(out, m.subtype());
                if (extended) {
                    out.write(' ');
                    writeParams(out, m.params());
                    writeCommonExtension(out, m.disposition(), m.language(), m.location());
                }
            }
            case BodyStructure.Single s -> {
                writeNString(out, s.type());
                out.write(' ');
                writeNString(out, s.subtype());
                out.write(' ');
                writeParams(out, s.params());
                out.write(' ');
                writeNStringNoLf(out, s.id());
                out.write(' ');
                writeNStringNoLf(out, s.description());
                out.write(' ');
                writeNString(out, s.encoding());
                ascii(out, " " + s.size());
                if (s.isMessage()) {
                    ascii(out, " ");
                    writeEnvelope(out, s.envelope());
                    out.write(' ');
                    writeStructure(out, s.body(), extended);
                    ascii(out, " " + s.lines());
                } else if (s.isText()) {
                    ascii(out, " " + s.lines());
                }
                if (extended) {
                    out.write(' ');
                    writeNStringNoLf(out, s.md5());
                    writeCommonExtension(out, s.disposition(), s.language(), s.location());
                }
            }
        }
        out.write(')');
    }

    private static void writeCommonExtension(OutputStream out, BodyStructure.Disposition disposition,
                                             List<String> language, String location) throws IOException {
        out.write(' ');
        if (disposition == null) {
            ascii(out, "NIL");
        } else {
            out.write('(');
            writeNString(out, disposition.type());
            out.write(' ');
            writeParams(out, disposition.params());
            out.write(')');
        }
        out.write(' ');
        if (language == null) {
            ascii(out, "NIL");
        } else {
            out.write('(');
            for (int i = 0; i < language.size(); i++) {
                if (i > 0) {
                    out.write(' ');
                }
                writeNString(out, language.get(i));
            }
            out.write(')');
        }
        out.write(' ');
        writeNStringNoLf(out, location);
    }

    private static void writeParams(OutputStream out, List<Param> params) throws IOException {
        if (params == null || params.isEmpty()) {
            ascii(out, "NIL");
            return;
        }
        out.write('(');
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                out.write(' ');
            }
            writeNString(out, params.get(i).name());
            out.write(' ');
            writeNString(out, params.get(i).value());
        }
        out.write(')');
    }

    private static void writeLiteral(OutputStream out, String raw) throws IOException {
        ascii(out, "{" + raw.length() + "}\r\n");
        ascii(out, raw);
    }

    /** Writes chars 0..255 as single bytes. */
    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
