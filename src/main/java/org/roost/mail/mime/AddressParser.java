package org.roost.mail.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 5322 address-list parser for ENVELOPE. Broken input is never rejected: like Dovecot it yields
 * placeholders ({@code MISSING_MAILBOX}, {@code MISSING_DOMAIN}, {@code SYNTAX_ERROR},
 * {@code INVALID_ROUTE}) so that clients see the same ENVELOPE from both servers.
 */
final class AddressParser {
    private static final int MAX_ADDRESSES = 10_000;

    private final Rfc822Parser p;
    private final List<Address> out = new ArrayList<>();
    private String name;
    private String route;
    private String mailbox;
    private String domain;

    private AddressParser(String value) {
        this.p = new Rfc822Parser(value, true);
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
    }

    private void addFixed() {
        if (mailbox == null) {
            mailbox = "MISSING_MAILBOX";
        }
        if (domain == null) {
            domain = "MISSING_DOMAIN";
        }
        add();
    }

    private int localPart() {
        StringBuilder sb = new StringBuilder();
        int ret = p.cur() == '"' ? p.quotedString(sb) : p.dotAtom(sb);
        if (ret < 0) {
            return -1;
        }
        mailbox = sb.toString();
        return ret;
    }

    private int domain() {
        StringBuilder sb = new StringBuilder();
        int ret = p.domain(sb);
        if (ret < 0) {
            return -1;
        }
        domain = sb.toString();
        return ret;
    }

    private int domainList() {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            if (p.atEnd()) {
                return 0;
            }
            if (p.cur() != '@') {
                break;
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append('@');
            int ret = p.domain(sb);
            if (ret <= 0) {
                return ret;
            }
            while (p.skipLwsp() > 0 && p.cur() == ',') {
                p.pos++;
            }
        }
        route = sb.toString();
        return 1;
    }

    /** "<" [route ":"] local-part ["@" domain] ">"; anything not closed by ">" is a syntax error. */
    private int angleAddr() {
        p.pos++;
        if (p.skipLwsp() <= 0) {
            return -1;
        }
        if (p.cur() == '>') {
            // "<>" (a null return path): no mailbox, no domain
            p.pos++;
            return p.skipLwsp();
        }
        if (p.cur() == '@') {
            if (domainList() <= 0 || p.cur() != ':') {
                route = "INVALID_ROUTE";
                return -1;
            }
            p.pos++;
            if (p.skipLwsp() <= 0) {
                return -1;
            }
        }
        if (localPart() < 0) {
            return -1;
        }
        if (p.cur() == '@' && domain() < 0) {
            return -1;
        }
        if (p.cur() != '>') {
            return -1;
        }
        p.pos++;
        return p.skipLwsp();
    }

    private int nameAddr() {
        StringBuilder sb = new StringBuilder();
        if (p.phrase(sb) <= 0 || p.cur() != '<') {
            return -1;
        }
        name = sb.isEmpty() ? null : sb.toString();
        if (angleAddr() < 0) {
            domain = "SYNTAX_ERROR";
        }
        return p.atEnd() ? 0 : 1;
    }

    /**
     * addr-spec, leniently: a lone word stays a mailbox (domain missing), but words followed by
     * more words are a display name without address (Dovecot 2.3: "bare name" ->
     * ("bare name" NIL MISSING_MAILBOX MISSING_DOMAIN)).
     */
    private int addrSpec() {
        p.lastComment().setLength(0);
        boolean quoted = p.cur() == '"';
        StringBuilder local = new StringBuilder();
        int ret = p.cur() == '"' ? p.quotedString(local) : p.dotAtom(local);
        if (ret >= 0) {
            mailbox = local.toString();
        } else {
            ret = -1;
        }
        boolean sawDomain = false;
        if (ret != 0 && p.cur() == '@') {
            sawDomain = true;
            int ret2 = domain();
            if (ret2 <= 0) {
                ret = ret2;
            }
        }
        if (!p.lastComment().isEmpty()) {
            name = p.lastComment().toString();
        } else if (!sawDomain) {
            StringBuilder phrase = new StringBuilder(local).append(' ');
            int before = phrase.length();
            p.phrase(phrase);
            if (phrase.length() != before) {
                mailbox = null;
                name = phrase.toString();
            } else if (quoted && ret >= 0) {
                // a lone quoted string is a display name ("Alice Example" without address)
                mailbox = null;
                name = local.toString();
            }
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
            ret = addrSpec();
        }
        addFixed();
        return ret;
    }

    private int group() {
        StringBuilder sb = new StringBuilder();
        if (p.phrase(sb) <= 0 || p.cur() != ':') {
            return -1;
        }
        p.pos++;
        int ret = p.skipLwsp();
        mailbox = sb.toString();
        add();
        if (ret > 0 && p.cur() != ';') {
            for (;;) {
                if (mailbox() <= 0) {
                    ret = -1;
                    break;
                }
                if (p.cur() != ',') {
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
            if (p.cur() != ';') {
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
            if (p.cur() != ',') {
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
