package org.roost.mail.mime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One MIME entity of a parsed message: where its header and body lie in the CRLF-normalized message,
 * its Content-* fields and its sub-entities. Built by {@link MessageParser}, read-only afterwards.
 */
public final class Part {
    /** How the parser treated the body. */
    enum Kind { LEAF, MULTIPART, MESSAGE }

    long headerStart;
    long bodyStart;
    long bodyEnd;
    long lines;
    long lfAtBodyStart;
    byte[] header;
    boolean headerTruncated;
    /** Whether a blank line ended the header (else a boundary or the end of input did). */
    boolean headerTerminated;
    ContentFields content = ContentFields.NONE;
    Envelope envelope;
    Kind kind = Kind.LEAF;
    boolean flattened;
    boolean inDigest;
    List<Part> children = new ArrayList<>(0);
    Part message;

    Part() {
    }

    void freeze() {
        children = children.isEmpty() ? List.of() : Collections.unmodifiableList(children);
    }

    /** Offset of the first header byte. */
    public long headerStart() {
        return headerStart;
    }

    /** Offset of the first body byte (just after the blank line ending the header). */
    public long bodyStart() {
        return bodyStart;
    }

    /** Offset just past the body (the CRLF before a boundary line belongs to the boundary). */
    public long bodyEnd() {
        return bodyEnd;
    }

    public long headerSize() {
        return bodyStart - headerStart;
    }

    public long bodySize() {
        return bodyEnd - bodyStart;
    }

    /** Number of LFs in the body. */
    public long bodyLines() {
        return lines;
    }

    public boolean isMultipart() {
        return kind == Kind.MULTIPART;
    }

    /** True for message/rfc822 parts, whose {@link #message()} is the encapsulated message. */
    public boolean isMessageRfc822() {
        return kind == Kind.MESSAGE;
    }

    /** Sub-parts of a multipart (possibly empty), empty otherwise. */
    public List<Part> children() {
        return children;
    }

    /** The encapsulated message of a message/rfc822 part. */
    public Optional<Part> message() {
        return Optional.ofNullable(message);
    }

    /** The envelope, for the top-level message and for encapsulated messages; else null. */
    public Envelope envelope() {
        return envelope;
    }

    /** Content type in lower case; {@code text} when absent ({@code message} in a digest). */
    public String mediaType() {
        if (content.type() == null) {
            return inDigest ? "message" : "text";
        }
        return content.type().toLowerCase(Locale.ROOT);
    }

    /** Content subtype in lower case; {@code plain} when absent ({@code rfc822} in a digest). */
    public String mediaSubtype() {
        if (content.type() == null) {
            return inDigest ? "rfc822" : "plain";
        }
        return content.subtypeOrEmpty().toLowerCase(Locale.ROOT);
    }

    /** The charset parameter, if any (raw). */
    public Optional<String> charset() {
        return Optional.ofNullable(content.charset());
    }

    /** The Content-Transfer-Encoding in lower case, {@code 7bit} when absent. */
    public String transferEncoding() {
        return content.encoding() == null ? "7bit" : content.encoding().toLowerCase(Locale.ROOT);
    }

    /** Raw header bytes kept for this part (at most the parse limit; see {@link #headerTruncated()}). */
    byte[] header() {
        return header;
    }

    /** True when the header was longer than the kept-bytes limit. */
    public boolean headerTruncated() {
        return headerTruncated;
    }

    /** Approximate heap bytes retained by this part and its descendants. */
    long retainedBytes() {
        long n = 200 + header.length;
        for (Part c : children) {
            n += c.retainedBytes();
        }
        if (message != null) {
            n += message.retainedBytes();
        }
        return n;
    }
}
