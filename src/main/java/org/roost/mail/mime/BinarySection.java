package org.roost.mail.mime;

import java.io.InputStream;

/**
 * What a FETCH BINARY[section] (RFC 3516 §4.2) reads: bytes of the normalized message and how to
 * decode them. Text is sent with CRLF line ends whatever its encoding held (§6).
 *
 * @param slice    the encoded bytes
 * @param decoding how they are decoded
 * @param text     a text/* part, whose decoded line ends become CRLF
 */
public record BinarySection(SectionRange.Slice slice, TransferDecoding decoding, boolean text) {
    /** A part that does not exist: nothing, as BODY[section] answers it. */
    public static final BinarySection EMPTY = new BinarySection(
            (SectionRange.Slice) SectionRange.EMPTY, TransferDecoding.IDENTITY, false);

    /**
     * The decoded section, read from {@code message}: the normalized message positioned at the slice's offset,
     * through buffers of {@code bufferSize} bytes.
     */
    public InputStream decode(InputStream message, int bufferSize) {
        var decoded = decoding.decode(new BoundedInputStream(message, slice.length()), bufferSize);
        return text && decoding != TransferDecoding.IDENTITY ? new CrlfInputStream(decoded) : decoded;
    }
}
