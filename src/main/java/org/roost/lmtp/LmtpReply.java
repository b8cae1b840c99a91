package org.roost.lmtp;

import java.nio.charset.StandardCharsets;

/**
 * One reply: a code (RFC 5321 §4.2), the enhanced status code (RFC 2034, RFC 3463; absent only in the
 * greeting and the LHLO reply), and text.
 */
record LmtpReply(int code, String status, String text) {

    static LmtpReply of(int code, String status, String text) {
        return new LmtpReply(code, status, text);
    }

    /** "250 2.0.0 OK" as bytes on the wire. */
    byte[] bytes() {
        var line = status == null ? code + " " + text : code + " " + status + " " + text;
        return (line + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    boolean positive() {
        return code < 400;
    }

    /** For the commands meter: 2xx, 3xx, 4xx or 5xx. */
    String resultClass() {
        return (code / 100) + "xx";
    }

    // The replies of the protocol, with their RFC 3463 codes.
    static final LmtpReply OK = of(250, "2.0.0", "OK");
    static final LmtpReply LINE_TOO_LONG = of(500, "5.5.2", "Line too long");
    static final LmtpReply USE_LHLO = of(500, "5.5.1", "This is LMTP: use LHLO (RFC 2033 section 4.1)");
    static final LmtpReply LHLO_FIRST = of(503, "5.5.1", "Send LHLO first");
    static final LmtpReply MAIL_FIRST = of(503, "5.5.1", "Send MAIL FROM first");
    static final LmtpReply NESTED_MAIL = of(503, "5.5.1", "A transaction is in progress; send RSET first");
    static final LmtpReply RCPT_FIRST = of(503, "5.5.1", "No valid recipients");
    static final LmtpReply DATA_AFTER_BDAT = of(503, "5.5.1", "DATA cannot follow BDAT in one transaction");
    static final LmtpReply BDAT_FAILED = of(503, "5.5.1", "An earlier BDAT failed; send RSET first");
    static final LmtpReply START_DATA = of(354, null, "Start mail input; end with <CRLF>.<CRLF>");
    static final LmtpReply TOO_BIG = of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    static final LmtpReply TOO_MANY_RECIPIENTS = of(452, "4.5.3", "Too many recipients");
    static final LmtpReply NUL_IN_DATA = of(554, "5.6.0", "Message contains NUL characters");
    static final LmtpReply BARE_LINE_END = of(554, "5.6.0",
            "Message contains a bare CR or LF; lines must end with CRLF (RFC 5321 section 2.3.8)");
    static final LmtpReply UNDECLARED_8BIT = of(554, "5.6.0",
            "Message contains 8-bit data, but MAIL FROM did not declare BODY=8BITMIME");
    static final LmtpReply VRFY_REFUSED = of(252, "2.5.2", "VRFY is refused; send RCPT to try a delivery");
    static final LmtpReply TLS_GO_AHEAD = of(220, "2.0.0", "Ready to start TLS");
    static final LmtpReply TLS_ACTIVE = of(503, "5.5.1", "TLS is already active");
    static final LmtpReply TLS_UNAVAILABLE = of(502, "5.5.1", "STARTTLS is not offered on this connection");
    static final LmtpReply TLS_PIPELINED = of(554, "5.5.1", "Commands pipelined after STARTTLS; closing");
}
