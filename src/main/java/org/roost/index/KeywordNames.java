package org.roost.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The keywords used in one mailbox, each given a bit of a message's 64-bit keyword mask in order
 * of first use (Maildir allows 26 keywords per mailbox; the mask has room for 64). Append-only.
 */
final class KeywordNames {
    static final int MAX = 64;
    private static final System.Logger LOG = System.getLogger(KeywordNames.class.getName());
    private final List<String> names = new CopyOnWriteArrayList<>();

    KeywordNames() {}

    KeywordNames(List<String> initial) {
        names.addAll(initial.subList(0, Math.min(initial.size(), MAX)));
    }

    List<String> names() {
        return List.copyOf(names);
    }

    int size() {
        return names.size();
    }

    /** The mask of {@code keywords}, adding unknown names (called under the mailbox lock). */
    long mask(Set<String> keywords) {
        if (keywords.isEmpty()) {
            return 0; // most messages: no iterator for each of a million scanned
        }
        long mask = 0;
        for (var keyword : keywords) {
            int bit = names.indexOf(keyword);
            if (bit < 0 && names.size() < MAX) {
                names.add(keyword);
                bit = names.size() - 1;
            }
            if (bit < 0) {
                LOG.log(System.Logger.Level.WARNING, "more than {0} keywords in one mailbox; the index drops \"{1}\"",
                        MAX, keyword);
                continue;
            }
            mask |= 1L << bit;
        }
        return mask;
    }

    /** The mask of {@code keywords} among the names already known (never adds). */
    long knownMask(Set<String> keywords) {
        long mask = 0;
        for (var keyword : keywords) {
            int bit = names.indexOf(keyword);
            if (bit >= 0) {
                mask |= 1L << bit;
            }
        }
        return mask;
    }

    Set<String> names(long mask) {
        if (mask == 0) {
            return Set.of();
        }
        var out = new TreeSet<String>();
        for (int bit = 0; bit < names.size(); bit++) {
            if ((mask & (1L << bit)) != 0) {
                out.add(names.get(bit));
            }
        }
        return out;
    }

    static List<String> copyOf(KeywordNames k) {
        return new ArrayList<>(k.names);
    }
}
