package org.roost.delivery;

/**
 * An envelope address (RFC 5321 §4.1.2 {@code Mailbox}): a local part, unquoted, and a domain, which is
 * empty only for the bare {@code postmaster} RFC 5321 §4.1.1.3 lets every server accept. Non-ASCII
 * characters are allowed in both (RFC 6531), and {@link #ascii()} tells whether there are any.
 */
public record MailAddress(String localPart, String domain) {
    /** RFC 5321 §4.5.3.1.1/2: 64 octets of local part and 255 of domain; twice that is tolerated. */
    private static final int MAX_LOCAL_PART = 128;
    private static final int MAX_DOMAIN = 512;

    /** Thrown for text that is no address; the message says what is wrong without repeating it. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The user part and the detail after the first of {@code delimiters} ({@code user+detail}), if any. */
    public record LocalPart(String user, String detail) {}

    /**
     * Parses {@code local@domain} as the inside of an RFC 5321 path (source routes already removed), or
     * {@code postmaster} alone (any case).
     */
    public static MailAddress parse(String text) throws Malformed {
        if (text.equalsIgnoreCase("postmaster")) {
            return new MailAddress(text, "");
        }
        int at;
        String local;
        if (text.startsWith("\"")) {
            int end = closingQuote(text);
            local = unquote(text.substring(1, end));
            at = end + 1;
            if (at >= text.length() || text.charAt(at) != '@') {
                throw new Malformed("a quoted local part must be followed by @domain");
            }
        } else {
            at = text.lastIndexOf('@');
            if (at < 0) {
                throw new Malformed("an address needs @domain");
            }
            local = text.substring(0, at);
            checkDotString(local);
        }
        var domain = text.substring(at + 1);
        checkDomain(domain);
        if (local.length() > MAX_LOCAL_PART) {
            throw new Malformed("the local part is too long");
        }
        return new MailAddress(local, domain);
    }

    private static int closingQuote(String text) throws Malformed {
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        throw new Malformed("an unterminated quoted local part");
    }

    /** RFC 5321 {@code QcontentSMTP}: printable ASCII and space, backslash pairs; UTF-8 allowed (RFC 6531). */
    private static String unquote(String quoted) throws Malformed {
        var out = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                c = quoted.charAt(++i);
            } else if (c == '\\' || c == '"') {
                throw new Malformed("a bad quoted local part");
            }
            if (c < 0x20 || c == 0x7f) {
                throw new Malformed("control characters in the local part");
            }
            out.append(c);
        }
        return out.toString();
    }

    /** RFC 5321 {@code Dot-string}: atoms of {@code atext} (RFC 5322 §3.2.3) separated by single dots. */
    private static void checkDotString(String local) throws Malformed {
        if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new Malformed("a bad local part");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean atext = c >= 0x80 || Character.isLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
            if (!atext) {
                throw new Malformed("a bad character in the local part");
            }
        }
    }

    /** A domain of letters, digits, hyphens and dots (U-labels allowed), or an address literal in brackets. */
    private static void checkDomain(String domain) throws Malformed {
        if (domain.isEmpty() || domain.length() > MAX_DOMAIN) {
            throw new Malformed("a bad domain");
        }
        if (domain.startsWith("[") && domain.endsWith("]")) {
            if (!domain.substring(1, domain.length() - 1).matches("[A-Za-z0-9.:-]+")) {
                throw new Malformed("a bad address literal");
            }
            return;
        }
        if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            throw new Malformed("a bad domain");
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (!(c >= 0x80 || Character.isLetterOrDigit(c) || c == '-' || c == '.')) {
                throw new Malformed("a bad character in the domain");
            }
        }
    }

    /** Whether the address is all ASCII (else it needs SMTPUTF8, RFC 6531 §3.5). */
    public boolean ascii() {
        return localPart.chars().allMatch(c -> c < 0x80) && domain.chars().allMatch(c -> c < 0x80);
    }

    /** Splits the local part at the first of {@code delimiters} (Dovecot's {@code recipient_delimiter}). */
    public LocalPart split(String delimiters) {
        for (int i = 0; i < localPart.length(); i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0) {
                return new LocalPart(localPart.substring(0, i), localPart.substring(i + 1));
            }
        }
        return new LocalPart(localPart, "");
    }

    /** The address as written in a header or a reply: the local part quoted when it is not a dot-string. */
    @Override
    public String toString() {
        String local = localPart;
        try {
            checkDotString(localPart);
        } catch (Malformed needsQuotes) {
            local = "\"" + localPart.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return domain.isEmpty() ? local : local + "@" + domain;
    }
}
