package org.roost.imap.protocol;

import java.text.Normalizer;
import org.roost.mail.MailboxNameCodec;

/**
 * How mailbox names travel on the wire: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 once the client
 * enabled IMAP4rev2 (RFC 9051 §5.1, Appendix A: a server speaking both sends UTF-8 only after ENABLE).
 */
public enum MailboxNaming {
    MODIFIED_UTF7 {
        @Override
        public String decode(String wire) {
            return MailboxNameCodec.decode(wire);
        }

        @Override
        public String encode(String name) {
            return MailboxNameCodec.encode(name);
        }
    },
    /**
     * Names as they are: Net-Unicode (RFC 5198, named by RFC 9051 §5.1 and RFC 6855 §3), so in Unicode
     * normalization form C and without control characters, line or paragraph separators. A name in another form
     * is refused rather than normalized: normalizing would oblige every answer naming it to carry OLDNAME
     * (RFC 9051 §6.3.9.7).
     */
    UTF8 {
        @Override
        public String decode(String wire) {
            if (wire.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
                throw new IllegalArgumentException("control character or line separator in mailbox name");
            }
            if (!Normalizer.isNormalized(wire, Normalizer.Form.NFC)) {
                throw new IllegalArgumentException("mailbox name not in Unicode normalization form C");
            }
            return wire;
        }

        @Override
        public String encode(String name) {
            return name;
        }
    };

    /** The name {@code wire} stands for. @throws IllegalArgumentException when it is not a name in this form */
    public abstract String decode(String wire);

    /** The wire form of {@code name}. */
    public abstract String encode(String name);
}
