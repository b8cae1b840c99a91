package org.roost.lmtp;

import org.roost.delivery.MailAddress;

/** A parsed LMTP command (RFC 2033, RFC 5321 §4.1.1 and the extensions Roost offers). */
sealed interface LmtpCommand {

    /** The verb, upper case, for logs and meters. */
    String name();

    record Lhlo(String clientName) implements LmtpCommand {
        public String name() {
            return "LHLO";
        }
    }

    /** HELO or EHLO: SMTP's greetings, which an LMTP server must refuse (RFC 2033 §4.1). */
    record SmtpGreeting(String name) implements LmtpCommand {}

    /**
     * MAIL FROM: {@code sender} null for the null reverse-path {@code <>}; {@code size} -1 when not declared;
     * {@code eightBit} for BODY=8BITMIME; {@code smtpUtf8} for SMTPUTF8.
     */
    record Mail(MailAddress sender, long size, boolean eightBit, boolean smtpUtf8) implements LmtpCommand {
        public String name() {
            return "MAIL";
        }
    }

    record Rcpt(MailAddress recipient) implements LmtpCommand {
        public String name() {
            return "RCPT";
        }
    }

    record Data() implements LmtpCommand {
        public String name() {
            return "DATA";
        }
    }

    record Bdat(long size, boolean last) implements LmtpCommand {
        public String name() {
            return "BDAT";
        }
    }

    record Rset() implements LmtpCommand {
        public String name() {
            return "RSET";
        }
    }

    record Noop() implements LmtpCommand {
        public String name() {
            return "NOOP";
        }
    }

    record Quit() implements LmtpCommand {
        public String name() {
            return "QUIT";
        }
    }

    record Vrfy() implements LmtpCommand {
        public String name() {
            return "VRFY";
        }
    }

    record Help() implements LmtpCommand {
        public String name() {
            return "HELP";
        }
    }

    record StartTls() implements LmtpCommand {
        public String name() {
            return "STARTTLS";
        }
    }
}
