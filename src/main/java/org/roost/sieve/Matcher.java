package org.roost.sieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The match of a test (RFC 5228 §2.7): its comparator and match type, with :count and :value from relational
 * (RFC 5231). A successful :matches sets the match variables (RFC 5229 §3.2) of scripts that use variables.
 */
final class Matcher {
    /** Characters a substring search compares per step of the run ({@link Run#step()}). */
    private static final int COMPARISONS_PER_STEP = 1024;
    private final Comparator comparator;
    private final String type;
    private final String relation;

    private Matcher(Comparator comparator, String type, String relation) {
        this.comparator = comparator;
        this.type = type;
        this.relation = relation;
    }

    static Matcher of(Node node) {
        var comparator = Comparator.named(node.tagString("comparator").orElse("i;ascii-casemap"));
        for (var type : List.of("contains", "matches", "count", "value")) {
            if (node.has(type)) {
                return new Matcher(comparator, type, node.tagString(type).map(r -> r.toLowerCase(Locale.ROOT))
                        .orElse(null));
            }
        }
        return new Matcher(comparator, "is", null);
    }

    /** Whether any value matches any key (:count: whether the number of values stands in the relation to a key). */
    boolean test(List<String> values, List<String> keys, Run run, Interpreter interpreter)
            throws SieveRuntimeException {
        if (type.equals("count")) {
            var count = String.valueOf(values.size());
            for (var key : keys) {
                if (holds(comparator.compare(count, key))) {
                    return true;
                }
            }
            return false;
        }
        for (var value : values) {
            for (var key : keys) {
                run.step();
                if (matches(value, key, run, interpreter)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matches(String value, String key, Run run, Interpreter interpreter) throws SieveRuntimeException {
        return switch (type) {
            case "is" -> comparator.compare(value, key) == 0;
            case "value" -> holds(comparator.compare(value, key));
            case "contains" -> contains(value, key, run);
            default -> {
                var captures = Wildcard.match(key, value, comparator, run::step);
                if (captures != null && interpreter.expands()) {
                    var groups = new ArrayList<String>(captures.size() + 1);
                    groups.add(value);
                    groups.addAll(captures);
                    interpreter.variables().matched(groups);
                }
                yield captures != null;
            }
        };
    }

    private boolean holds(int order) {
        return switch (relation) {
            case "gt" -> order > 0;
            case "ge" -> order >= 0;
            case "lt" -> order < 0;
            case "le" -> order <= 0;
            case "eq" -> order == 0;
            default -> order != 0;
        };
    }

    /**
     * A substring search that counts its work (a step per {@link #COMPARISONS_PER_STEP} characters compared, not per
     * position: one position may compare the whole key), so a long value and a long key cannot outlast
     * sieve.maxCpuTime.
     */
    private boolean contains(String value, String key, Run run) throws SieveRuntimeException {
        int last = value.length() - key.length();
        long compared = 0;
        for (int start = 0; start <= last; start++) {
            int i = 0;
            while (i < key.length() && comparator.same(key.charAt(i), value.charAt(start + i))) {
                i++;
            }
            if (i == key.length()) {
                return true;
            }
            for (compared += i + 1; compared >= COMPARISONS_PER_STEP; compared -= COMPARISONS_PER_STEP) {
                run.step();
            }
        }
        return false;
    }
}
