package org.roost.sieve;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.apache.commons.codec.net.QuotedPrintableCodec;
import org.apache.james.mime4j.codec.EncoderUtil;

/** The messages Sieve sends itself: vacation replies (RFC 5230 §5, RFC 3834 §3). */
final class Replies {
    private Replies() {}

    /**
     * A vacation reply: {@code Auto-Submitted: auto-replied} (RFC 3834 §5), In-Reply-To and References of the
     * original (RFC 5230 §5.8), the subject encoded when not ASCII, and the reason as text/plain (quoted-printable
     * when not ASCII) or, with :mime, as the MIME entity it is.
     */
    static byte[] vacation(Action.Vacation vacation, String hostname, ZonedDateTime now) {
        var header = new StringBuilder();
        header.append("From: ").append(clean(vacation.from())).append("\r\n");
        header.append("To: <").append(clean(vacation.to())).append(">\r\n");
        header.append("Subject: ").append(EncoderUtil.encodeIfNecessary(clean(vacation.subject()),
                EncoderUtil.Usage.TEXT_TOKEN, 9)).append("\r\n");
        header.append("Date: ").append(now.format(DateTimeFormatter.RFC_1123_DATE_TIME)).append("\r\n");
        header.append("Message-ID: <").append(UUID.randomUUID()).append(".sieve@").append(hostname).append(">\r\n");
        if (vacation.messageId() != null) {
            header.append("In-Reply-To: ").append(clean(vacation.messageId())).append("\r\n");
            var references = String.join(" ", vacation.references());
            header.append("References: ").append(clean((references + " " + vacation.messageId()).strip()))
                    .append("\r\n");
        }
        header.append("Auto-Submitted: auto-replied (vacation)\r\n");
        header.append("Precedence: bulk\r\n");
        header.append("MIME-Version: 1.0\r\n");
        var reason = vacation.reason().replaceAll("\r?\n", "\r\n");
        if (vacation.mime()) {
            return (header + reason).getBytes(StandardCharsets.UTF_8);
        }
        boolean ascii = reason.chars().allMatch(c -> c < 0x80);
        header.append("Content-Type: text/plain; charset=utf-8\r\n");
        header.append("Content-Transfer-Encoding: ").append(ascii ? "7bit" : "quoted-printable").append("\r\n\r\n");
        var body = ascii ? reason : quotedPrintable(reason);
        return (header + body).getBytes(StandardCharsets.UTF_8);
    }

    private static String quotedPrintable(String text) {
        var lines = text.split("\r\n", -1);
        var out = new StringBuilder();
        var codec = new QuotedPrintableCodec(StandardCharsets.UTF_8, true);
        for (int i = 0; i < lines.length; i++) {
            out.append(codec.encode(lines[i], StandardCharsets.UTF_8));
            if (i + 1 < lines.length) {
                out.append("\r\n");
            }
        }
        return out.toString();
    }

    /** A header value from a script or a message without line ends, so no one can add header fields through it. */
    private static String clean(String value) {
        return value.replaceAll("[\r\n]+", " ");
    }
}
