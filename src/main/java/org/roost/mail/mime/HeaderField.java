package org.roost.mail.mime;

/**
 * One header field of a part. {@code name} and {@code value} hold raw bytes, one char per byte;
 * the value is unfolded the way Dovecot keeps it (initial whitespace skipped, CRLF kept between
 * folded lines, NUL bytes kept). {@code value} is null for a line without a colon.
 * {@code start}/{@code end} delimit the field's raw lines (with line ends) in the kept header bytes.
 */
record HeaderField(String name, String value, int start, int end) {
}
