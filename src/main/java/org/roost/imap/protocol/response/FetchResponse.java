package org.roost.imap.protocol.response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeSet;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * FETCH response data (RFC 3501 §7.4.2), the one place its bytes are formatted: FETCH's answers,
 * STORE's, and the flag updates a session is told of unsolicited. Items are written straight into
 * a {@link ResponseBuffer}, numbers included, so a line per message over a million messages costs
 * no String per message. Once the client enabled UIDONLY, each is a UIDFETCH response instead,
 * named by UID (RFC 9586 §3.3: {@code uidfetch-resp = uniqueid SP "UIDFETCH" SP msg-att}).
 *
 * <pre>
 * response.begin(seq, uid).uid(uid).flags(bits, recent, keywords).end();   // * 7 FETCH (UID 42 FLAGS (\Seen))
 *                                                                          // * 42 UIDFETCH (UID 42 FLAGS (\Seen))
 * </pre>
 */
public final class FetchResponse {
    private static final byte[] FETCH_OPEN = bytes(" FETCH (");
    private static final byte[] UIDFETCH_OPEN = bytes(" UIDFETCH (");
    private static final byte[] LINE_END = bytes(")\r\n");
    private static final byte[] UID = bytes("UID ");
    private static final byte[] MODSEQ = bytes("MODSEQ (");
    private static final byte[] FLAGS = bytes("FLAGS (");
    private static final byte[] INTERNALDATE = bytes("INTERNALDATE \"");
    private static final byte[] RFC822_SIZE = bytes("RFC822.SIZE ");
    private static final byte[] RECENT = bytes("\\Recent");
    private static final byte[] EMPTY_STRING = bytes("\"\"");
    private static final byte[][] SYSTEM_FLAGS = systemFlagLists();
    private static final int SYSTEM_FLAG_BITS = SYSTEM_FLAGS.length - 1;
    private final ResponseBuffer out;
    private final DateTimeText dates = new DateTimeText();
    /** Whether the session enabled UIDONLY (RFC 9586): no message sequence number in any response. */
    private final boolean uidOnly;
    private boolean first;

    /** {@code uidOnly}: the session's {@link ImapWriter#uidOnly()}. */
    public FetchResponse(ResponseBuffer out, boolean uidOnly) {
        this.out = out;
        this.uidOnly = uidOnly;
    }

    /**
     * {@code * <seq> FETCH (}, or {@code * <uid> UIDFETCH (} in UIDONLY mode: the items follow, then
     * {@link #end()}.
     */
    public FetchResponse begin(int seq, long uid) throws IOException {
        out.write('*');
        out.write(' ');
        if (uidOnly) {
            out.number(uid).bytes(UIDFETCH_OPEN);
        } else {
            out.number(seq).bytes(FETCH_OPEN);
        }
        first = true;
        return this;
    }

    /** {@code UID n}, asked for. */
    public FetchResponse uid(long uid) throws IOException {
        separate();
        out.bytes(UID).number(uid);
        return this;
    }

    /**
     * {@code UID n} where a response carries it unasked (UID FETCH and UID STORE, RFC 3501 §6.4.8; updates
     * once CONDSTORE is on, RFC 7162 §3.2.4): left out of a UIDFETCH response, which begins with it
     * (RFC 9586 §3.3).
     */
    public FetchResponse impliedUid(long uid) throws IOException {
        return uidOnly ? this : uid(uid);
    }

    /** {@code MODSEQ (n)} (RFC 7162 §3.1.4.2). */
    public FetchResponse modseq(long modseq) throws IOException {
        separate();
        out.bytes(MODSEQ).number(modseq);
        out.write(')');
        return this;
    }

    /**
     * {@code FLAGS (...)}: the system flags in their order ({@code systemBits} holds
     * {@code 1 << flag.ordinal()} for each), {@code \Recent} when the session sees the message so,
     * then the keywords ({@link #keywordList}).
     */
    public FetchResponse flags(int systemBits, boolean recent, byte[] keywords) throws IOException {
        separate();
        out.bytes(FLAGS);
        var system = SYSTEM_FLAGS[systemBits & SYSTEM_FLAG_BITS];
        out.bytes(system);
        boolean any = system.length > 0;
        if (recent) {
            if (any) {
                out.write(' ');
            }
            out.bytes(RECENT);
            any = true;
        }
        if (any && keywords.length > 0) {
            out.write(' ');
        }
        out.bytes(keywords);
        out.write(')');
        return this;
    }

    /** {@code FLAGS (...)} of a message. */
    public FetchResponse flags(StoredMessage message, boolean recent) throws IOException {
        int bits = 0;
        for (var flag : message.flags()) {
            bits |= 1 << flag.ordinal();
        }
        return flags(bits, recent, keywordList(message.keywords()));
    }

    /** {@code INTERNALDATE "dd-Mon-yyyy hh:mm:ss +zzzz"}. */
    public FetchResponse internalDate(long epochSecond) throws IOException {
        separate();
        out.bytes(INTERNALDATE);
        dates.write(out, epochSecond);
        out.write('"');
        return this;
    }

    /** {@code SAVEDATE "date-time"}, or {@code SAVEDATE NIL} where the storage keeps no save dates (RFC 8514 §4.2). */
    public FetchResponse saveDate(Instant saved) throws IOException {
        separate();
        if (saved == null) {
            out.ascii("SAVEDATE NIL");
        } else {
            out.ascii("SAVEDATE \"");
            dates.write(out, saved.getEpochSecond());
            out.write('"');
        }
        return this;
    }

    /** {@code EMAILID (id)} or {@code THREADID (id)} (RFC 8474 §5.3); an id is ASCII letters, digits, '-' and '_'. */
    public FetchResponse objectId(String name, String id) throws IOException {
        separate();
        out.ascii(name).ascii(" (").ascii(id).write(')');
        return this;
    }

    public FetchResponse rfc822Size(long size) throws IOException {
        separate();
        out.bytes(RFC822_SIZE).number(size);
        return this;
    }

    /** Starts an item whose value the caller writes to the returned buffer: its name and a space. */
    public ResponseBuffer item(String name) throws IOException {
        separate();
        return out.ascii(name).ascii(" ");
    }

    /** A section's value: {@code {count}} CRLF, the caller then writing {@code count} bytes; {@code ""} when empty. */
    public void literal(long count) throws IOException {
        if (count == 0) {
            out.bytes(EMPTY_STRING);
        } else {
            out.write('{');
            out.number(count).write('}');
            out.endLine();
        }
    }

    /** A BINARY value holding NUL: {@code ~{count}} CRLF (RFC 3516 §7 {@code literal8}), then the caller's bytes. */
    public void literal8(long count) throws IOException {
        if (count == 0) {
            out.bytes(EMPTY_STRING);
        } else {
            out.write('~');
            literal(count);
        }
    }

    /** {@code )} CRLF. */
    public void end() throws IOException {
        out.bytes(LINE_END);
    }

    /** Keywords as FLAGS lists them: in ascending order, separated by spaces. */
    public static byte[] keywordList(Collection<String> keywords) {
        return bytes(String.join(" ", new TreeSet<>(keywords)));
    }

    private void separate() throws IOException {
        if (!first) {
            out.write(' ');
        }
        first = false;
    }

    /** For each combination of system flag bits, the flags' names in enum order, space-separated. */
    private static byte[][] systemFlagLists() {
        var flags = SystemFlag.values();
        var lists = new byte[1 << flags.length][];
        for (int bits = 0; bits < lists.length; bits++) {
            var sb = new StringBuilder();
            for (var flag : flags) {
                if ((bits & (1 << flag.ordinal())) != 0) {
                    sb.append(sb.isEmpty() ? "" : " ").append(flag.imapName());
                }
            }
            lists[bits] = bytes(sb.toString());
        }
        return lists;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
