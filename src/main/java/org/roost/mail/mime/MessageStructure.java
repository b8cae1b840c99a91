package org.roost.mail.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The MIME structure of one message, parsed once in a single streaming pass over the
 * CRLF-normalized message (see {@link CrlfInputStream}); all offsets and sizes are in that byte
 * space. Bodies are never kept; of the headers only the top-level one and those of attached
 * messages are kept (for HEADER.FIELDS, within {@link Limits}), so a message with a 50 MB
 * attachment costs a few hundred bytes per part. Immutable.
 */
public final class MessageStructure {

    /**
     * Parse bounds; input beyond them is still measured, just not interpreted or kept.
     *
     * @param maxHeaderBytes header bytes read per part to find its fields (the rest is skipped)
     * @param maxDepth nesting of multiparts and message/rfc822 before a part is left unparsed
     * @param maxParts parts parsed as MIME entities per message
     * @param maxRetainedHeaderBytes message header bytes kept per message for HEADER.FIELDS
     */
    public record Limits(int maxHeaderBytes, int maxDepth, int maxParts, long maxRetainedHeaderBytes) {
        /** 64 KiB of header per part, Dovecot's nesting limit of 100, 10000 parts, 1 MiB kept. */
        public static final Limits DEFAULT = new Limits(64 * 1024, 100, 10_000, 1024 * 1024);

        public Limits {
            if (maxHeaderBytes < 0 || maxDepth < 1 || maxParts < 1 || maxRetainedHeaderBytes < 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (maxDepth > 1000) {
                throw new IllegalArgumentException("maxDepth above 1000 risks the parser's stack");
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    /** The size of a structure made from the header alone ({@link #ofHeader}): nothing after the header is known. */
    private static final long HEADER_ONLY = -1;

    private final Part root;
    private final long size;
    /** The message's preview (RFC 8970) once made, kept with the structure; null before. */
    private final String preview;

    MessageStructure(Part root, long size) {
        this(root, size, null);
    }

    MessageStructure(Part root, long size, String preview) {
        this.root = root;
        this.size = size;
        this.preview = preview;
    }

    /**
     * What the message's header alone tells (its envelope and the header kept for sorting and threading), cached
     * like a structure so that an ENVELOPE needs no parse of the body; everything else needs {@link #complete()}.
     */
    public static MessageStructure ofHeader(MessageHeader header) {
        var root = new Part();
        root.header = header.header();
        root.envelope = header.envelope();
        root.freeze();
        return new MessageStructure(root, HEADER_ONLY);
    }

    /** False for a structure made from the header alone ({@link #ofHeader}): only its envelope and header are known. */
    public boolean complete() {
        return size != HEADER_ONLY;
    }

    /** The preview made for this message ({@link PreviewText}), or null when none was made yet. */
    public String preview() {
        return preview;
    }

    /** This structure with the message's preview, to be cached with it. */
    public MessageStructure withPreview(String made) {
        return new MessageStructure(root, size, made);
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
     * BODYPARTSTRUCTURE (RFC 5524 §3.1, RFC 5259 §5): the BODYSTRUCTURE of the part at {@code path}, the whole
     * message's for none; empty for a part that does not exist.
     */
    public Optional<BodyStructure> partStructure(int... path) {
        return path.length == 0 ? Optional.of(bodyStructure()) : part(path).map(BodyStructures::of);
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
     * What BINARY[section] sends (RFC 3516 §4.2): a leaf part's body with its transfer encoding undone.
     * A multipart, a message/rfc822 part and the whole message ({@code BINARY[]}) carry no encoding of
     * their own (RFC 2045 §6.4 allows them only 7bit, 8bit and binary), so they go as BODY[section]
     * sends them. A part that does not exist is empty; an unknown encoding gives no section (UNKNOWN-CTE).
     */
    public Optional<BinarySection> binary(int... path) {
        if (path.length == 0) {
            return Optional.of(new BinarySection(new SectionRange.Slice(0, size), TransferDecoding.IDENTITY, false));
        }
        Optional<Part> target = part(path);
        if (target.isEmpty()) {
            return Optional.of(BinarySection.EMPTY);
        }
        Part p = target.get();
        var body = new SectionRange.Slice(p.bodyStart, p.bodySize());
        if (p.isMultipart() || p.isMessageRfc822()) {
            return Optional.of(new BinarySection(body, TransferDecoding.IDENTITY, false));
        }
        return TransferDecoding.of(p.transferEncoding())
                .map(decoding -> new BinarySection(body, decoding, p.mediaType().equals("text")));
    }

    /**
     * The named header fields (or all others), each with its raw lines, then the blank line that
     * ended the header (RFC 3501 §6.4.5). A header without blank line is handled as Dovecot does
     * (see {@link #blankLineAfterFields}); HEADER.FIELDS also completes a selected last line.
     */
    private byte[] filter(Part message, List<String> names, boolean not) {
        byte[] header = message.header;
        Set<String> wanted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        wanted.addAll(names);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lastSelected = false;
        for (HeaderField f : HeaderParser.parse(header)) {
            // a line without a colon has no field name: never selected, never excluded
            lastSelected = f.value() == null ? not : wanted.contains(f.name()) != not;
            if (lastSelected) {
                // only the top level (Dovecot answers it from its cache) gets a cut-off line completed
                boolean complete = !not && message == root
                        && (f.end() == f.start() || header[f.end() - 1] != '\n');
                int end = f.end();
                if (complete) {
                    while (end > f.start() && header[end - 1] == '\r') {
                        end--;
                    }
                }
                writeLines(out, header, f.start(), end);
                if (complete) {
                    out.writeBytes(CRLF);
                }
            }
        }
        if (blankLineAfterFields(message, not, lastSelected)) {
            out.writeBytes(CRLF);
        }
        return out.toByteArray();
    }

    /**
     * Whether HEADER.FIELDS(.NOT) ends with a blank line: when the header had one (for an attached
     * message possibly found past its end, see MessageParser's shadow headers); otherwise Dovecot
     * 2.3 (observed, not specified anywhere) adds one only for the top-level HEADER.FIELDS, and only
     * if the last header line was not selected.
     */
    private boolean blankLineAfterFields(Part message, boolean not, boolean lastSelected) {
        if (message.headerTerminated) {
            return true;
        }
        return !not && message == root && !lastSelected;
    }

    /** Copies header lines, each line end written as CRLF with any extra CRs before it dropped (as Dovecot). */
    private static void writeLines(ByteArrayOutputStream out, byte[] header, int from, int to) {
        int lineStart = from;
        for (int i = from; i < to; i++) {
            if (header[i] == '\n') {
                int contentEnd = i;
                while (contentEnd > lineStart && header[contentEnd - 1] == '\r') {
                    contentEnd--;
                }
                out.write(header, lineStart, contentEnd - lineStart);
                out.writeBytes(CRLF);
                lineStart = i + 1;
            }
        }
        out.write(header, lineStart, to - lineStart);
    }

    /** Header field values of the top-level message with this name (raw, unfolded), in order. */
    public List<String> headerValues(String name) {
        return MessageHeader.values(root.header, name);
    }

    /** Approximate heap bytes this structure retains (headers plus per-part bookkeeping). */
    public long retainedBytes() {
        return 64 + root.retainedBytes();
    }
}
