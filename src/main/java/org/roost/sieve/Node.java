package org.roost.sieve;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command or test after its arguments were checked against its signature: tags by name (a tag that takes an
 * argument maps to that argument, a flag to itself), the positional arguments in order, the tests it holds and
 * its block (null for a test or a command ending in ';').
 */
record Node(String name, Map<String, Argument> tags, List<Argument> positional, List<Node> tests, List<Node> block,
        int line) {

    boolean has(String tag) {
        return tags.containsKey(tag);
    }

    Optional<Argument> tag(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    /** The strings of the tag's argument, empty when the tag is absent. */
    List<String> tagStrings(String tag) {
        return tags.get(tag) instanceof Argument.Strings s ? s.values() : List.of();
    }

    Optional<String> tagString(String tag) {
        return tags.get(tag) instanceof Argument.Strings s ? Optional.of(s.values().getFirst()) : Optional.empty();
    }

    Optional<Long> tagNumber(String tag) {
        return tags.get(tag) instanceof Argument.Number n ? Optional.of(n.value()) : Optional.empty();
    }

    List<String> strings(int index) {
        return ((Argument.Strings) positional.get(index)).values();
    }

    String string(int index) {
        return strings(index).getFirst();
    }
}
