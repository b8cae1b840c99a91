package org.roost.bench;

import java.util.ArrayList;
import java.util.List;

/** Parses the UID sets the checker meets (COPYUID, UID STORE targets): numbers, ranges, commas; no '*'. */
final class UidSets {
    private UidSets() {
    }

    /** The UIDs of {@code set} in the order written; a range {@code a:b} counts up from min to max. */
    static List<Long> parse(String set) {
        var uids = new ArrayList<Long>();
        for (String part : set.split(",")) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                uids.add(Long.parseLong(part));
                continue;
            }
            long a = Long.parseLong(part.substring(0, colon));
            long b = Long.parseLong(part.substring(colon + 1));
            for (long u = Math.min(a, b); u <= Math.max(a, b); u++) {
                uids.add(u);
            }
        }
        return uids;
    }
}
