package org.roost.sieve;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** RFC 5228 §2.7.4 address parts, with :user and :detail of subaddress (RFC 5233). */
enum AddressPart {
    ALL, LOCALPART, DOMAIN, USER, DETAIL;

    private static final List<AddressPart> TAGGED = List.of(LOCALPART, DOMAIN, USER, DETAIL);

    /** The part a test's tags ask for, :all by default. */
    static AddressPart of(Node test) {
        return TAGGED.stream().filter(part -> test.has(part.name().toLowerCase(Locale.ROOT))).findFirst()
                .orElse(ALL);
    }

    /**
     * This part of {@code address}; empty when it has none (:detail of an address without a delimiter, RFC 5233
     * §4). The local part splits at the first of the {@code delimiters} characters.
     */
    Optional<String> of(String address, String delimiters) {
        int at = address.lastIndexOf('@');
        var local = at < 0 ? address : address.substring(0, at);
        int split = -1;
        for (int i = 0; i < local.length() && split < 0; i++) {
            if (delimiters.indexOf(local.charAt(i)) >= 0) {
                split = i;
            }
        }
        return switch (this) {
            case ALL -> Optional.of(address);
            case LOCALPART -> Optional.of(local);
            case DOMAIN -> Optional.of(at < 0 ? "" : address.substring(at + 1));
            case USER -> Optional.of(split < 0 ? local : local.substring(0, split));
            case DETAIL -> split < 0 ? Optional.empty() : Optional.of(local.substring(split + 1));
        };
    }
}
