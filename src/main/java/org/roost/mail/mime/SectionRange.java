package org.roost.mail.mime;

/**
 * What a BODY[section] resolves to: a byte range of the CRLF-normalized message, or (for
 * HEADER.FIELDS / HEADER.FIELDS.NOT) the filtered header bytes themselves. A missing part is an
 * empty slice (RFC 3501: the empty string).
 */
public sealed interface SectionRange permits SectionRange.Slice, SectionRange.Bytes {

    SectionRange EMPTY = new Slice(0, 0);

    long length();

    /** Bytes {@code [offset, offset+length)} of the normalized message. */
    record Slice(long offset, long length) implements SectionRange {
    }

    /** Literal bytes (filtered header fields plus the terminating blank line). */
    record Bytes(byte[] data) implements SectionRange {
        @Override
        public long length() {
            return data.length;
        }
    }
}
