package org.roost.lmtp;

import java.util.Locale;
import org.roost.delivery.MailAddress;

/** A parsed LMTP command (RFC 2033, RFC 5321 §4.1.1 and the extensions Roost offers). */
sealed interface LmtpCommand {

    /** The verb, upper case, for logs and meters. */
    default String name() {
        // every record is named after its keyword (StartTls: STARTTLS); getSimpleName is cached by the JDK
        return getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    record Lhlo(String clientName) implements LmtpCommand {}

    /** HELO or EHLO: SMTP's greetings, which an LMTP server must refuse (RFC 2033 §4.1). */
    record SmtpGreeting(String name) implements LmtpCommand {}

    /**
     * MAIL FROM: {@code sender} null for the null reverse-path {@code <>}; {@code size} -1 when not declared;
     * {@code eightBit} for BODY=8BITMIME; {@code smtpUtf8} for SMTPUTF8.
     */
    record Mail(MailAddress sender, long size, boolean eightBit, boolean smtpUtf8) implements LmtpCommand {}

    record Rcpt(MailAddress recipient) implements LmtpCommand {}

    record Data() implements LmtpCommand {}

    record Bdat(long size, boolean last) implements LmtpCommand {}

    record Rset() implements LmtpCommand {}

    record Noop() implements LmtpCommand {}

    record Quit() implements LmtpCommand {}

    record Vrfy() implements LmtpCommand {}

    record Help() implements LmtpCommand {}

    record StartTls() implements LmtpCommand {}
}
