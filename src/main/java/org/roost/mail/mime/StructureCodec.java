package org.roost.mail.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compact, lossless byte form of a {@link MessageStructure}, so that a cache file can give back
 * exactly what parsing the message would (ENVELOPE, BODY/BODYSTRUCTURE, section offsets, the kept
 * message headers for HEADER.FIELDS and SEARCH) without opening the message.
 *
 * <p>Whole structures are kept rather than finished response strings because FETCH sections,
 * SEARCH HEADER and SENT* read the same structure; one form serves them all, and the formatter stays
 * the one place that decides the wire bytes. Numbers are varints, strings their bytes (one char per
 * byte, as the parser makes them); an envelope that the kept header gives again is not stored but
 * parsed from it on decode. So a plain message costs its header plus a few dozen bytes.
 *
 * <p>{@link #decode} trusts nothing: every length, count, depth and offset is bounded, and any
 * inconsistency is an {@link IllegalArgumentException}.
 */
public final class StructureCodec {
    /** First byte of every encoding; a new layout gets a new number. */
    private static final int FORMAT = 1;
    /** First byte of a structure made from the header alone ({@link MessageStructure#ofHeader}): the header follows. */
    private static final int FORMAT_HEADER_ONLY = 2;
    /** Deeper structures are not encoded (the parser's default limit makes at most about 200 levels). */
    private static final int MAX_DEPTH = 256;
    private static final int FLAG_TRUNCATED = 1;
    private static final int FLAG_TERMINATED = 2;
    private static final int FLAG_FLATTENED = 4;
    private static final int FLAG_IN_DIGEST = 8;
    private static final int FLAG_TYPE_BROKEN = 16;
    private static final int FLAG_ENVELOPE = 32;
    private static final int FLAG_MESSAGE = 64;
    /** The envelope is the one the kept header gives (the usual case): not stored, parsed again on decode. */
    private static final int FLAG_ENVELOPE_FROM_HEADER = 128;
    private static final int LIST_NULL = 0;
    private static final int LIST_SAME_AS_FROM = 1;

    private StructureCodec() {
    }

    /**
     * The structure's bytes, or null when it cannot be kept this way (nested too deeply, or with
     * offsets this form has no room for); such a structure is simply parsed again when needed.
     */
    public static byte[] encode(MessageStructure structure) {
        var out = new Out();
        if (!structure.complete()) {
            out.varint(FORMAT_HEADER_ONLY);
            out.bytes(structure.root().header());
            return out.toByteArray();
        }
        try {
            out.varint(FORMAT);
            out.varlong(structure.size());
            if (!writePart(out, structure.root(), 0)) {
                return null;
            }
            if (structure.preview() != null) {
                out.string(structure.preview()); // after the structure: encodings without one stay as they were
            }
            return out.toByteArray();
        } catch (IllegalArgumentException unrepresentable) {
            return null;
        }
    }

    /** The structure encoded in {@code data[offset, offset+length)}; throws IllegalArgumentException if malformed. */
    public static MessageStructure decode(byte[] data, int offset, int length) {
        var in = new In(data, offset, length);
        try {
            int format = in.varint();
            if (format == FORMAT_HEADER_ONLY) {
                return headerOnly(in);
            }
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown structure format");
            }
            long size = in.varlong();
            var root = readPart(in, 0, size);
            var preview = in.atEnd() ? null : in.nonNullString();
            if (!in.atEnd()) {
                throw new IllegalArgumentException("trailing bytes after the structure");
            }
            return new MessageStructure(root, size, preview);
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("offsets out of range", overflow);
        }
    }

    private static MessageStructure headerOnly(In in) {
        byte[] header = in.bytes();
        if (!in.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after the header");
        }
        return MessageStructure.ofHeader(new MessageHeader(Envelope.of(HeaderParser.parse(header)), header));
    }

    private static boolean writePart(Out out, Part p, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        var c = p.content;
        boolean fromHeader = p.envelope != null && p.envelope.equals(Envelope.of(HeaderParser.parse(p.header)));
        boolean stored = p.envelope != null && !fromHeader;
        int flags = (p.headerTruncated ? FLAG_TRUNCATED : 0) | (p.headerTerminated ? FLAG_TERMINATED : 0)
                | (p.flattened ? FLAG_FLATTENED : 0) | (p.inDigest ? FLAG_IN_DIGEST : 0)
                | (c.typeBroken() ? FLAG_TYPE_BROKEN : 0) | (stored ? FLAG_ENVELOPE : 0)
                | (p.message != null ? FLAG_MESSAGE : 0) | (fromHeader ? FLAG_ENVELOPE_FROM_HEADER : 0);
        out.varint(flags);
        out.varint(p.kind.ordinal());
        out.varlong(p.headerStart);
        out.varlong(p.bodyStart - p.headerStart);
        out.varlong(p.bodyEnd - p.bodyStart);
        out.varlong(p.lines);
        out.varlong(p.lfAtBodyStart);
        out.bytes(p.header);
        writeContent(out, c);
        if (stored) {
            writeEnvelope(out, p.envelope);
        }
        out.varint(p.children.size());
        for (var child : p.children) {
            if (!writePart(out, child, depth + 1)) {
                return false;
            }
        }
        return p.message == null || writePart(out, p.message, depth + 1);
    }

    private static Part readPart(In in, int depth, long size) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("structure nested too deeply");
        }
        var p = new Part();
        int flags = in.varint();
        var kinds = Part.Kind.values();
        int kind = in.varint();
        if (kind >= kinds.length || flags >= FLAG_ENVELOPE_FROM_HEADER << 1
                || (flags & FLAG_ENVELOPE) != 0 && (flags & FLAG_ENVELOPE_FROM_HEADER) != 0) {
            throw new IllegalArgumentException("bad part flags");
        }
        p.kind = kinds[kind];
        p.headerStart = in.varlong();
        p.bodyStart = Math.addExact(p.headerStart, in.varlong());
        p.bodyEnd = Math.addExact(p.bodyStart, in.varlong());
        if (p.bodyEnd > size) {
            throw new IllegalArgumentException("part beyond the message");
        }
        p.lines = in.varlong();
        p.lfAtBodyStart = in.varlong();
        p.header = in.bytes();
        p.headerTruncated = (flags & FLAG_TRUNCATED) != 0;
        p.headerTerminated = (flags & FLAG_TERMINATED) != 0;
        p.flattened = (flags & FLAG_FLATTENED) != 0;
        p.inDigest = (flags & FLAG_IN_DIGEST) != 0;
        p.content = readContent(in, (flags & FLAG_TYPE_BROKEN) != 0);
        if ((flags & FLAG_ENVELOPE) != 0) {
            p.envelope = readEnvelope(in);
        } else if ((flags & FLAG_ENVELOPE_FROM_HEADER) != 0) {
            p.envelope = Envelope.of(HeaderParser.parse(p.header));
        }
        int children = in.count();
        for (int i = 0; i < children; i++) {
            p.children.add(readPart(in, depth + 1, size));
        }
        if ((flags & FLAG_MESSAGE) != 0) {
            p.message = readPart(in, depth + 1, size);
        }
        if (p.kind == Part.Kind.MESSAGE && p.message == null) {
            throw new IllegalArgumentException("message part without its message");
        }
        p.freeze();
        return p;
    }

    private static void writeContent(Out out, ContentFields c) {
        out.string(c.type());
        out.string(c.subtype());
        writeParams(out, c.params());
        out.string(c.id());
        out.string(c.description());
        out.string(c.encoding());
        out.string(c.md5());
        out.string(c.disposition());
        writeParams(out, c.dispositionParams());
        if (c.language() == null) {
            out.varint(0);
        } else {
            out.varint(c.language().size() + 1);
            c.language().forEach(out::string);
        }
        out.string(c.location());
    }

    private static ContentFields readContent(In in, boolean typeBroken) {
        String type = in.string();
        String subtype = in.string();
        var params = readParams(in);
        String id = in.string();
        String description = in.string();
        String encoding = in.string();
        String md5 = in.string();
        String disposition = in.string();
        var dispositionParams = readParams(in);
        int languages = in.count();
        List<String> language = null;
        if (languages > 0) {
            var list = new ArrayList<String>(languages - 1);
            for (int i = 1; i < languages; i++) {
                list.add(in.nonNullString());
            }
            language = List.copyOf(list);
        }
        String location = in.string();
        return new ContentFields(type, subtype, typeBroken, params, id, description, encoding, md5, disposition,
                dispositionParams, language, location);
    }

    private static void writeParams(Out out, List<Param> params) {
        out.varint(params.size());
        for (var p : params) {
            out.string(p.name());
            out.string(p.value());
        }
    }

    private static List<Param> readParams(In in) {
        int n = in.count();
        var params = new ArrayList<Param>(n);
        for (int i = 0; i < n; i++) {
            params.add(new Param(in.nonNullString(), in.nonNullString()));
        }
        return List.copyOf(params);
    }

    private static void writeEnvelope(Out out, Envelope e) {
        out.string(e.date());
        out.string(e.subject());
        writeAddresses(out, e.from(), null);
        writeAddresses(out, e.sender(), e.from());
        writeAddresses(out, e.replyTo(), e.from());
        writeAddresses(out, e.to(), null);
        writeAddresses(out, e.cc(), null);
        writeAddresses(out, e.bcc(), null);
        out.string(e.inReplyTo());
        out.string(e.messageId());
    }

    private static Envelope readEnvelope(In in) {
        String date = in.string();
        String subject = in.string();
        var from = readAddresses(in, null);
        var sender = readAddresses(in, from);
        var replyTo = readAddresses(in, from);
        var to = readAddresses(in, null);
        var cc = readAddresses(in, null);
        var bcc = readAddresses(in, null);
        return new Envelope(date, subject, from, sender, replyTo, to, cc, bcc, in.string(), in.string());
    }

    /** Sender and Reply-To default to From (RFC 3501 §7.4.2): such a list is written as a reference. */
    private static void writeAddresses(Out out, List<Address> list, List<Address> from) {
        if (list == null) {
            out.varint(LIST_NULL);
        } else if (from != null && list.equals(from)) {
            out.varint(LIST_SAME_AS_FROM);
        } else {
            out.varint(list.size() + 2);
            for (var a : list) {
                out.string(a.name());
                out.string(a.adl());
                out.string(a.mailbox());
                out.string(a.host());
            }
        }
    }

    private static List<Address> readAddresses(In in, List<Address> from) {
        int tag = in.count();
        if (tag == LIST_NULL) {
            return null;
        }
        if (tag == LIST_SAME_AS_FROM) {
            if (from == null) {
                throw new IllegalArgumentException("address list refers to a missing From");
            }
            return from;
        }
        var list = new ArrayList<Address>(tag - 2);
        for (int i = 2; i < tag; i++) {
            list.add(new Address(in.string(), in.string(), in.string(), in.string()));
        }
        return List.copyOf(list);
    }

    /** A growable byte buffer with varints and strings. */
    private static final class Out {
        private byte[] buf = new byte[256];
        private int len;

        void varint(int v) {
            varlong(v & 0xffffffffL);
        }

        void varlong(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("negative number in a structure");
            }
            ensure(10);
            while (v >= 0x80) {
                buf[len++] = (byte) (v | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void bytes(byte[] b) {
            varint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        /**
         * Null as 0; otherwise (length << 1 | utf8) + 1. The parser's strings hold one char per byte
         * and are stored as those bytes; any other string (none expected) is kept as UTF-8.
         */
        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            boolean latin1 = s.chars().allMatch(ch -> ch <= 0xff);
            byte[] b = s.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            varlong(((long) b.length << 1 | (latin1 ? 0 : 1)) + 1);
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Bounded reading: nothing is read or allocated past the end of the given range. */
    private static final class In {
        private final byte[] data;
        private final int end;
        private int pos;

        In(byte[] data, int offset, int length) {
            if (offset < 0 || length < 0 || offset + length > data.length) {
                throw new IllegalArgumentException("range outside the data");
            }
            this.data = data;
            this.pos = offset;
            this.end = offset + length;
        }

        boolean atEnd() {
            return pos == end;
        }

        long varlong() {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("structure cut short");
                }
                int b = data[pos++] & 0xff;
                v |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return v;
                }
            }
            throw new IllegalArgumentException("number too long");
        }

        int varint() {
            long v = varlong();
            if (v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("number too large");
            }
            return (int) v;
        }

        /** A count of things each at least one byte long: never more than the bytes left. */
        int count() {
            int n = varint();
            if (n > end - pos + 2) {
                throw new IllegalArgumentException("count beyond the data");
            }
            return n;
        }

        byte[] bytes() {
            int n = length(varint());
            byte[] b = Arrays.copyOfRange(data, pos, pos + n);
            pos += n;
            return b;
        }

        String string() {
            long tag = varlong();
            if (tag == 0) {
                return null;
            }
            long v = tag - 1;
            int n = length(v >>> 1 > Integer.MAX_VALUE ? -1 : (int) (v >>> 1));
            var s = new String(data, pos, n, (v & 1) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        String nonNullString() {
            var s = string();
            if (s == null) {
                throw new IllegalArgumentException("missing string");
            }
            return s;
        }

        private int length(int n) {
            if (n < 0 || n > end - pos) {
                throw new IllegalArgumentException("length beyond the data");
            }
            return n;
        }
    }
}
