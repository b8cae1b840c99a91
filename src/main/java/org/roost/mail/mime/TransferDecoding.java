package org.roost.mail.mime;

import java.io.InputStream;
import java.util.Optional;

/** How a part's content-transfer-encoding (RFC 2045 §6) is undone for FETCH BINARY (RFC 3516). */
public enum TransferDecoding {
    /** 7bit, 8bit and binary: the content is its own decoding. */
    IDENTITY,
    BASE64,
    QUOTED_PRINTABLE;

    /** The decoding of an encoding as {@link Part#transferEncoding()} names it; empty for an unknown one. */
    public static Optional<TransferDecoding> of(String encoding) {
        return switch (encoding) {
            case "7bit", "8bit", "binary" -> Optional.of(IDENTITY);
            case "base64" -> Optional.of(BASE64);
            case "quoted-printable" -> Optional.of(QUOTED_PRINTABLE);
            default -> Optional.empty();
        };
    }

    /** The decoded content of {@code encoded}, streamed through two buffers of {@code bufferSize} bytes. */
    public InputStream decode(InputStream encoded, int bufferSize) {
        return switch (this) {
            case IDENTITY -> encoded;
            case BASE64 -> new Base64DecodingInputStream(encoded, bufferSize);
            case QUOTED_PRINTABLE -> new QuotedPrintableDecodingInputStream(encoded, bufferSize);
        };
    }
}
