package org.roost.sieve;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command or test accepts: the extension that must be required for it (null: RFC 5228 core), its tags
 * (each with the argument it takes, the group of which at most one may appear, and the extension it needs), the
 * shapes its positional arguments may take, and whether it takes tests and a block.
 */
record Signature(String name, String extension, Map<String, TagRule> tags, List<List<Type>> shapes, Tests tests,
        boolean block) {

    enum Type { STRING, STRINGS, NUMBER }

    enum Tests { NONE, ONE, LIST }

    /** {@code argument} null: a flag. {@code group}: tags of one group exclude each other. */
    record TagRule(Type argument, String group, String extension) {}

    static Builder command(String name, String extension) {
        return new Builder(name, extension);
    }

    static final class Builder {
        private final String name;
        private final String extension;
        private final Map<String, TagRule> tags = new HashMap<>();
        private List<List<Type>> shapes = List.of(List.of());
        private Tests tests = Tests.NONE;
        private boolean block;

        private Builder(String name, String extension) {
            this.name = name;
            this.extension = extension;
        }

        Builder flag(String tag, String group, String extension) {
            tags.put(tag, new TagRule(null, group, extension));
            return this;
        }

        Builder tag(String tag, Type argument, String group, String extension) {
            tags.put(tag, new TagRule(argument, group, extension));
            return this;
        }

        /** Comparator and match type (RFC 5228 §2.7), with :count and :value from relational (RFC 5231). */
        Builder matching() {
            return tag("comparator", Type.STRING, "comparator", null).flag("is", "match", null)
                    .flag("contains", "match", null).flag("matches", "match", null)
                    .tag("count", Type.STRING, "match", "relational").tag("value", Type.STRING, "match", "relational");
        }

        /** Address parts (RFC 5228 §2.7.4), with :user and :detail from subaddress (RFC 5233). */
        Builder addressParts() {
            return flag("all", "part", null).flag("localpart", "part", null).flag("domain", "part", null)
                    .flag("user", "part", "subaddress").flag("detail", "part", "subaddress");
        }

        /** :index and :last (RFC 5260 §6). */
        Builder indexed() {
            return tag("index", Type.NUMBER, "index", "index").flag("last", "last", "index");
        }

        @SafeVarargs
        final Builder shapes(List<Type>... shapes) {
            this.shapes = List.of(shapes);
            return this;
        }

        Builder tests(Tests tests) {
            this.tests = tests;
            return this;
        }

        Builder block() {
            this.block = true;
            return this;
        }

        Signature build() {
            return new Signature(name, extension, Map.copyOf(tags), shapes, tests, block);
        }
    }
}
