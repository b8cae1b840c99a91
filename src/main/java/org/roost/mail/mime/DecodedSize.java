package org.roost.mail.mime;

/**
 * What a FETCH BINARY[section] (RFC 3516 §4.3) must know before its first byte goes out: the decoded
 * length, which its literal announces, and whether a NUL is among the bytes, which makes it a literal8.
 */
public record DecodedSize(long length, boolean hasNul) {
}
