package org.roost.mail.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 5322 address-list parser for ENVELOPE. Broken input is never rejected: like Dovecot 2.3 it
 * yields stand-ins ({@code MISSING_MAILBOX}, {@code MISSING_DOMAIN}, {@code SYNTAX_ERROR},
 * {@code INVALID_ROUTE}) and the same recovery choices, so clients see the same ENVELOPE from
 * both servers. Local parts are read leniently ("a..b"); NULs in quoted text become U+FFFD.
 */
final class AddressParser {
    private static final int MAX_ADDRESSES = 10_000;
    private static final String INVALID_ROUTE = "INVALID_ROUTE";

    private final Rfc822Parser p;
    private final List<Address> out = new ArrayList<>();
    /** The last local-part or phrase read (Dovecot reuses one buffer for both). */
    private final StringBuilder str = new StringBuilder();
    private String name;
    private String route;
    private String mailbox;
    private String domain;
    private boolean invalid;

    private AddressParser(String value) {
        this.p = new Rfc822Parser(value, true);
        this.p.nulReplacement = HeaderParser.REPLACEMENT;
    }

    /** @return the addresses, or null (NIL) when the value holds none. */
    static List<Address> parse(String value) {
        AddressParser parser = new AddressParser(value);
        if (parser.p.skipLwsp() <= 0) {
            return null;
        }
        parser.addressList();
        return parser.out.isEmpty() ? null : List.copyOf(parser.out);
    }

    private void add() {
        if (out.size() < MAX_ADDRESSES) {
            out.add(new Address(name, route, mailbox, domain));
        }
        name = null;
        route = null;
        mailbox = null;
        domain = null;
        invalid = false;
    }

    private void addFixed() {
        if (mailbox == null) {
            mailbox = "MISSING_MAILBOX";
        }
        if (domain == null || domain.isEmpty()) {
            domain = "MISSING_DOMAIN";
        }
        add();
    }

    private int localPart() {
        str.setLength(0);
        int ret = p.cur() == '"' ? p.quotedString(str) : p.nonStrictDotAtom(str);
        if (ret < 0) {
            return -1;
        }
        mailbox = str.toString();
        return ret;
    }

    private int domain() {
        str.setLength(0);
        int ret = p.domain(str);
        if (ret < 0) {
            return -1;
        }
        domain = str.toString();
        return ret;
    }

    private int domainList() {
        str.setLength(0);
        for (;;) {
            if (p.atEnd()) {
                return 0;
            }
            if (p.cur() != '@') {
                break;
            }
            if (!str.isEmpty()) {
                str.append(',');
            }
            str.append('@');
            int ret = p.domain(str);
            if (ret <= 0) {
                return ret;
            }
            while (p.skipLwsp() > 0 && p.cur() == ',') {
                p.pos++;
            }
        }
        route = str.toString();
        return 1;
    }

    /** "<" ["@" route ":"] local-part "@" domain ">"; "<>" leaves mailbox and domain missing. */
    private int angleAddr() {
        p.pos++;
        if (p.skipLwsp() <= 0) {
            return -1;
        }
        if (p.cur() == '@') {
            if (domainList() > 0 && p.cur() == ':') {
                p.pos++;
            } else {
                route = INVALID_ROUTE;
                if (p.atEnd()) {
                    return -1;
                }
                // try to continue anyway
            }
            if (p.skipLwsp() <= 0) {
                return -1;
            }
        }
        if (p.cur() != '>') {
            if (localPart() <= 0) {
                return -1;
            }
            if (p.cur() == '@' && domain() <= 0) {
                return -1;
            }
        }
        if (p.cur() != '>') {
            return -1;
        }
        p.pos++;
        return p.skipLwsp();
    }

    private int nameAddr() {
        str.setLength(0);
        if (p.phrase(str) <= 0 || p.cur() != '<') {
            return -1;
        }
        name = str.isEmpty() ? null : str.toString();
        if (angleAddr() < 0) {
            domain = "SYNTAX_ERROR";
            invalid = true;
        }
        return p.atEnd() ? 0 : 1;
    }

    /**
     * addr-spec, leniently: a lone word stays a mailbox (domain missing), but words followed by
     * more words are a display name without address ("bare name" -> name, no mailbox).
     */
    private int addrSpec() {
        p.lastComment().setLength(0);
        boolean quoted = p.cur() == '"';
        int ret = localPart();
        if (ret <= 0) {
            invalid = true;
        }
        int ret2 = -2;
        if (ret != 0 && !p.atEnd() && p.cur() == '@') {
            ret2 = domain();
            if (ret2 <= 0) {
                ret = ret2;
            }
        }
        if (!p.lastComment().isEmpty()) {
            name = p.lastComment().toString();
        } else if (ret2 == -2) {
            str.append(' ');
            int before = str.length();
            p.phrase(str);
            if (str.length() != before) {
                mailbox = null;
                name = str.toString();
            } else if (!quoted) {
                domain = "";
            }
            invalid = true;
            ret = -1;
        }
        return ret;
    }

    private int mailbox() {
        int start = p.pos;
        int ret = nameAddr();
        if (ret < 0) {
            p.pos = start;
            name = null;
            route = null;
            mailbox = null;
            domain = null;
            invalid = false;
            ret = addrSpec();
            if (invalid && name == null && mailbox != null && domain == null) {
                name = mailbox; // a lone quoted string: a display name without address
                mailbox = null;
            }
        }
        addFixed();
        return ret;
    }

    private int group() {
        str.setLength(0);
        if (p.phrase(str) <= 0 || p.cur() != ':') {
            return -1;
        }
        p.pos++;
        int ret = p.skipLwsp();
        mailbox = str.toString();
        add();
        if (ret > 0 && p.cur() != ';') {
            for (;;) {
                mailbox(); // a broken mailbox does not end the group
                if (p.atEnd() || p.cur() != ',') {
                    break;
                }
                p.pos++;
                if (p.skipLwsp() <= 0) {
                    ret = -1;
                    break;
                }
            }
        }
        if (ret >= 0) {
            if (p.atEnd() || p.cur() != ';') {
                ret = -1;
            } else {
                p.pos++;
                ret = p.skipLwsp();
            }
        }
        add();
        return ret == 0 ? 0 : 1;
    }

    private int address() {
        int start = p.pos;
        int ret = group();
        if (ret < 0) {
            p.pos = start;
            name = null;
            route = null;
            mailbox = null;
            domain = null;
            ret = mailbox();
        }
        return ret;
    }

    private void addressList() {
        for (int n = 0; n < MAX_ADDRESSES; n++) {
            if (address() == 0) {
                break;
            }
            if (p.atEnd() || p.cur() != ',') {
                break;
            }
            p.pos++;
            int ret = p.skipLwsp();
            if (ret <= 0) {
                if (ret < 0) {
                    addFixed();
                }
                break;
            }
        }
    }
}
