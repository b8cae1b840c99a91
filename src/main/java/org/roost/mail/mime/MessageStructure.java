package org.roost.mail.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The MIME structure of one message, parsed once in a single streaming pass over the
 * CRLF-normalized message (see {@link CrlfInputStream}); all offsets and sizes are in that byte
 * space. Only part headers are kept (each capped by {@link Limits#maxHeaderBytes()}), so a message
 * with a 50 MB attachment costs a few hundred bytes per part. Immutable.
 */
public final class MessageStructure {

    /** Parse bounds; input beyond them is still measured, just not interpreted or kept. */
    public record Limits(int maxHeaderBytes, int maxDepth, int maxParts) {
        /** 64 KiB of header per part, Dovecot's nesting limit of 100, at most 10000 parts. */
        public static final Limits DEFAULT = new Limits(64 * 1024, 100, 10_000);

        public Limits {
            if (maxHeaderBytes < 0 || maxDepth < 1 || maxParts < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private final Part root;
    private final long size;

    MessageStructure(Part root, long size) {
        this.root = root;
        this.size = size;
    }

    /** Parses a CRLF-normalized message with {@link Limits#DEFAULT}. */
    public static MessageStructure parse(InputStream normalized) throws IOException {
        return parse(normalized, Limits.DEFAULT);
    }

    public static MessageStructure parse(InputStream normalized, Limits limits) throws IOException {
        return MessageParser.parseStructure(normalized, limits);
    }

    /** RFC822.SIZE: the size of the normalized message. */
    public long size() {
        return size;
    }

    /** The top-level entity (its header is the message header). */
    public Part root() {
        return root;
    }

    public Envelope envelope() {
        return root.envelope;
    }

    /** Data for FETCH BODY (write with {@code StructureFormatter.writeBody}). */
    public BodyStructure body() {
        return BodyStructures.of(root);
    }

    /**
     * Data for FETCH BODYSTRUCTURE. Same as {@link #body()} except that, like Dovecot, a top-level
     * plain us-ascii 7bit text part is reported in canonical lower case.
     */
    public BodyStructure bodyStructure() {
        return BodyStructures.isPlain7bit(root) ? BodyStructures.plain7bit(root) : body();
    }

    /**
     * The part at a section path (RFC 3501 §6.4.5), resolved as Dovecot does: a number picks a child
     * of a multipart, 1 on a non-multipart stays on that part (and must be the last number unless the
     * part is message/rfc822), and a number after a message/rfc822 part applies to the encapsulated
     * message.
     */
    public Optional<Part> part(int... path) {
        if (path.length == 0) {
            return Optional.of(root);
        }
        Part p = root;
        for (int i = 0; i < path.length; i++) {
            int n = path[i];
            boolean more = i + 1 < path.length;
            if (p.isMultipart()) {
                if (n < 1 || n > p.children.size()) {
                    return Optional.empty();
                }
                p = p.children.get(n - 1);
            } else if (n != 1 || more && !p.isMessageRfc822()) {
                return Optional.empty();
            }
            if (more && p.isMessageRfc822()) {
                p = p.message;
            }
        }
        return Optional.of(p);
    }

    /** Where the bytes of a BODY[section] are; an empty slice for a part that does not exist. */
    public SectionRange range(SectionSpec spec) {
        int[] path = spec.path();
        Optional<Part> target = part(path);
        if (target.isEmpty()) {
            return SectionRange.EMPTY;
        }
        Part p = target.get();
        if (spec.kind() == SectionSpec.Kind.ALL) {
            return path.length == 0 ? new SectionRange.Slice(0, size)
                    : new SectionRange.Slice(p.bodyStart, p.bodySize());
        }
        if (spec.kind() == SectionSpec.Kind.MIME) {
            return path.length == 0 ? SectionRange.EMPTY
                    : new SectionRange.Slice(p.headerStart, p.headerSize());
        }
        Part message = path.length == 0 ? root : p.message;
        if (message == null) {
            return SectionRange.EMPTY;
        }
        return switch (spec.kind()) {
            case HEADER -> new SectionRange.Slice(message.headerStart, message.headerSize());
            case TEXT -> new SectionRange.Slice(message.bodyStart, message.bodySize());
            case HEADER_FIELDS -> new SectionRange.Bytes(filter(message, spec.fields(), false));
            case HEADER_FIELDS_NOT -> new SectionRange.Bytes(filter(message, spec.fields(), true));
            case ALL, MIME -> throw new IllegalStateException("handled above");
        };
    }

    /**
     * The named header fields (or all others), each with its raw lines, then the blank line that
     * ended the header (RFC 3501 §6.4.5). A header cut off by the end of the message has no blank
     * line; like Dovecot, HEADER.FIELDS then still ends with one, unless the last line, given the
     * line end it lacked, is itself the last selected field; HEADER.FIELDS.NOT adds nothing.
     */
    static byte[] filter(Part message, List<String> names, boolean not) {
        byte[] header = message.header;
        Set<String> wanted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        wanted.addAll(names);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lastLineCompleted = false;
        for (HeaderField f : HeaderParser.parse(header)) {
            // a line without a colon has no field name: never selected, never excluded
            if (f.value() == null ? not : wanted.contains(f.name()) != not) {
                out.write(header, f.start(), f.end() - f.start());
                lastLineCompleted = !not && (f.end() == f.start() || header[f.end() - 1] != '\n');
                if (lastLineCompleted) {
                    out.writeBytes(CRLF);
                }
            }
        }
        if (message.headerTerminated || !not && !lastLineCompleted) {
            out.writeBytes(CRLF);
        }
        return out.toByteArray();
    }

    /** Header field values of the top-level message with this name (raw, unfolded), in order. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        for (HeaderField f : HeaderParser.parse(root.header)) {
            if (f.value() != null && f.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                values.add(f.value());
            }
        }
        return values;
    }

    /** Approximate heap bytes this structure retains (headers plus per-part bookkeeping). */
    public long retainedBytes() {
        return 64 + root.retainedBytes();
    }
}
