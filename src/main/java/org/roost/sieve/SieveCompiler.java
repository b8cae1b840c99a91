package org.roost.sieve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.roost.config.RoostConfig;

/**
 * Compiles Sieve scripts (RFC 5228 and the extensions of {@link #extensions()}): parses them, checks every command
 * and test against its signature and against the extensions the script requires, and reports the first error
 * with its line, as ManageSieve's PUTSCRIPT and CHECKSCRIPT answer (RFC 5804 §2.6).
 */
public final class SieveCompiler {
    /** Everything the interpreter runs; {@code vacation} only with a relay to send replies through. */
    static final Set<String> SUPPORTED = Set.of("fileinto", "reject", "ereject", "envelope", "imap4flags", "vacation",
            "body", "variables", "relational", "subaddress", "copy", "include", "date", "index", "mailbox",
            "comparator-i;ascii-numeric", "comparator-i;octet", "comparator-i;ascii-casemap");
    private static final Set<String> IMPLICIT_COMPARATORS = Set.of("i;octet", "i;ascii-casemap");
    private static final Set<String> RELATIONS = Set.of("gt", "ge", "lt", "le", "eq", "ne");
    static final Set<String> DATE_PARTS = Set.of("year", "month", "day", "date", "julian", "hour", "minute",
            "second", "time", "iso8601", "std11", "zone", "weekday");
    private static final Pattern ZONE = Pattern.compile("[+-]\\d{4}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Set<String> extensions;

    SieveCompiler(Set<String> extensions) {
        this.extensions = Set.copyOf(extensions);
    }

    /** Every extension, but {@code vacation} only when {@code sieve.relay} can send its replies. */
    public static SieveCompiler of(RoostConfig.Sieve config) {
        var offered = new HashSet<>(SUPPORTED);
        if (config.relay().isEmpty()) {
            offered.remove("vacation");
        }
        return new SieveCompiler(offered);
    }

    /** The extensions a script may require, for ManageSieve's SIEVE capability (RFC 5804 §1.7). */
    public List<String> extensions() {
        return List.copyOf(new TreeSet<>(extensions));
    }

    public Compilation compile(String text) {
        try {
            return new Compilation.Compiled(new Check().script(Parser.parse(text)));
        } catch (SieveSyntaxException e) {
            return new Compilation.Invalid(e.line(), e.getMessage());
        }
    }

    /** One script's check: the extensions required so far decide what later commands may use. */
    private final class Check {
        private final Set<String> required = new HashSet<>();

        CompiledScript script(List<Parser.Raw> raw) throws SieveSyntaxException {
            var commands = block(raw, true);
            return new CompiledScript(commands, Set.copyOf(required));
        }

        private List<Node> block(List<Parser.Raw> raw, boolean top) throws SieveSyntaxException {
            var nodes = new ArrayList<Node>(raw.size());
            boolean requiresAllowed = top;
            String previous = null;
            for (var command : raw) {
                var name = command.name().toLowerCase(Locale.ROOT);
                if (name.equals("require")) {
                    if (!requiresAllowed) {
                        throw error(command, "require must come before every other command (RFC 5228 §3.2)");
                    }
                } else {
                    requiresAllowed = false;
                }
                if ((name.equals("elsif") || name.equals("else"))
                        && !("if".equals(previous) || "elsif".equals(previous))) {
                    throw error(command, name + " must follow if or elsif");
                }
                var node = node(command, Signatures.COMMANDS, "command");
                if (name.equals("require")) {
                    require(command, node.strings(0));
                }
                nodes.add(node);
                previous = name;
            }
            return List.copyOf(nodes);
        }

        private void require(Parser.Raw command, List<String> names) throws SieveSyntaxException {
            for (var name : names) {
                if (!extensions.contains(name)) {
                    throw error(command, "unsupported extension '" + name + "'");
                }
                required.add(name);
            }
        }

        private Node node(Parser.Raw raw, Map<String, Signature> table, String kind)
                throws SieveSyntaxException {
            var name = raw.name().toLowerCase(Locale.ROOT);
            var signature = table.get(name);
            if (signature == null) {
                var other = table == Signatures.COMMANDS ? Signatures.TESTS : Signatures.COMMANDS;
                throw error(raw, other.containsKey(name) ? "'" + name + "' is not a " + kind + " here"
                        : "unknown " + kind + " '" + raw.name() + "'");
            }
            needs(raw, signature.extension(), kind + " '" + name + "'");
            var tags = new HashMap<String, Argument>();
            var groups = new HashSet<String>();
            var positional = new ArrayList<Argument>();
            var arguments = raw.arguments();
            for (int i = 0; i < arguments.size(); i++) {
                var argument = arguments.get(i);
                if (!(argument instanceof Argument.Tag tag)) {
                    positional.add(argument);
                    continue;
                }
                if (!positional.isEmpty()) {
                    throw error(raw, "tag ':" + tag.name() + "' must come before the other arguments of " + name);
                }
                var tagName = tag.name().toLowerCase(Locale.ROOT);
                var rule = signature.tags().get(tagName);
                if (rule == null) {
                    throw error(raw, name + " has no tag ':" + tag.name() + "'");
                }
                needs(raw, rule.extension(), "tag ':" + tagName + "'");
                if (!groups.add(rule.group())) {
                    throw error(raw, "':" + tagName + "' conflicts with an earlier tag of " + name);
                }
                if (rule.argument() == null) {
                    tags.put(tagName, tag);
                } else if (i + 1 < arguments.size() && fits(rule.argument(), arguments.get(i + 1))) {
                    tags.put(tagName, arguments.get(++i));
                } else {
                    throw error(raw, "':" + tagName + "' needs " + describe(rule.argument()));
                }
            }
            checkShape(raw, name, signature, positional);
            var tests = tests(raw, name, signature);
            List<Node> block = null;
            if (signature.block()) {
                if (raw.block() == null) {
                    throw error(raw, name + " needs a block { ... }");
                }
                block = block(raw.block(), false);
            } else if (raw.block() != null) {
                throw error(raw, name + " takes no block");
            }
            var node = new Node(name, Map.copyOf(tags), List.copyOf(positional), tests, block, raw.line());
            Semantics.check(node, required);
            return node;
        }

        private List<Node> tests(Parser.Raw raw, String name, Signature signature) throws SieveSyntaxException {
            var count = raw.tests().size();
            boolean fits = switch (signature.tests()) {
                case NONE -> count == 0;
                case ONE -> count == 1;
                case LIST -> count >= 1;
            };
            if (!fits) {
                throw error(raw, switch (signature.tests()) {
                    case NONE -> name + " takes no test";
                    case ONE -> name + " needs exactly one test";
                    case LIST -> name + " needs a list of tests in parentheses";
                });
            }
            var tests = new ArrayList<Node>(count);
            for (var test : raw.tests()) {
                tests.add(node(test, Signatures.TESTS, "test"));
            }
            return List.copyOf(tests);
        }

        private void checkShape(Parser.Raw raw, String name, Signature signature, List<Argument> positional)
                throws SieveSyntaxException {
            for (var shape : signature.shapes()) {
                if (shape.size() == positional.size()) {
                    for (int i = 0; i < shape.size(); i++) {
                        if (!fits(shape.get(i), positional.get(i))) {
                            throw error(raw, "argument " + (i + 1) + " of " + name + " must be "
                                    + describe(shape.get(i)));
                        }
                    }
                    return;
                }
            }
            throw error(raw, name + " takes " + signature.shapes().stream().map(s -> String.valueOf(s.size()))
                    .reduce((a, b) -> a + " or " + b).orElse("0") + " positional argument(s), not "
                    + positional.size());
        }

        private void needs(Parser.Raw raw, String extension, String what) throws SieveSyntaxException {
            if (extension != null && !required.contains(extension)) {
                throw error(raw, what + " needs require \"" + extension + "\"");
            }
        }
    }

    private static boolean fits(Signature.Type type, Argument argument) {
        return switch (type) {
            case NUMBER -> argument instanceof Argument.Number;
            case STRINGS -> argument instanceof Argument.Strings;
            case STRING -> argument instanceof Argument.Strings s && !s.list();
        };
    }

    private static String describe(Signature.Type type) {
        return switch (type) {
            case NUMBER -> "a number";
            case STRINGS -> "a string list";
            case STRING -> "a string";
        };
    }

    static SieveSyntaxException error(Parser.Raw raw, String message) {
        return new SieveSyntaxException(raw.line(), message);
    }

    /** The checks beyond signatures: known comparators, relations, date parts, zones and variable names. */
    private static final class Semantics {
        private Semantics() {}

        static void check(Node node, Set<String> required) throws SieveSyntaxException {
            var comparator = node.tagString("comparator");
            if (comparator.isPresent()) {
                var name = comparator.get().toLowerCase(Locale.ROOT);
                if (!IMPLICIT_COMPARATORS.contains(name) && !required.contains("comparator-" + name)) {
                    fail(node, "comparator '" + comparator.get() + "' needs require \"comparator-" + name + "\"");
                }
                if (name.equals("i;ascii-numeric") && (node.has("contains") || node.has("matches"))) {
                    fail(node, "i;ascii-numeric can only compare whole values (RFC 4790 §9.1)");
                }
            }
            for (var relational : List.of("count", "value")) {
                var relation = node.tagString(relational);
                if (relation.isPresent() && !RELATIONS.contains(relation.get().toLowerCase(Locale.ROOT))) {
                    fail(node, "':" + relational + "' needs one of " + new TreeSet<>(RELATIONS));
                }
            }
            if (node.has("last") && !node.has("index")) {
                fail(node, "':last' needs ':index' (RFC 5260 §6)");
            }
            if (node.tagNumber("index").filter(n -> n < 1).isPresent()) {
                fail(node, "':index' counts from 1");
            }
            var zone = node.tagString("zone");
            if (zone.isPresent() && !ZONE.matcher(zone.get()).matches()) {
                fail(node, "':zone' must look like +0100 or -0500");
            }
            switch (node.name()) {
                case "size" -> {
                    if (node.tags().isEmpty()) {
                        fail(node, "size needs ':over' or ':under'");
                    }
                }
                case "date", "currentdate" -> {
                    var part = node.string(node.name().equals("date") ? 1 : 0);
                    if (!part.contains("${") && !DATE_PARTS.contains(part.toLowerCase(Locale.ROOT))) {
                        fail(node, "unknown date part '" + part + "'");
                    }
                }
                case "set" -> {
                    if (!VARIABLE_NAME.matcher(node.string(0)).matches()) {
                        fail(node, "'" + node.string(0) + "' is no variable name");
                    }
                }
                case "global" -> {
                    if (!required.contains("variables")) {
                        fail(node, "global needs require \"variables\" (RFC 6609 §3.5)");
                    }
                }
                case "include" -> {
                    var name = node.string(0);
                    if (!name.contains("${") && ScriptName.problem(name) != null) {
                        fail(node, "'" + name + "' is no script name: " + ScriptName.problem(name));
                    }
                }
                case "envelope" -> {
                    for (var part : node.strings(0)) {
                        var lower = part.toLowerCase(Locale.ROOT);
                        if (!lower.contains("${") && !lower.equals("from") && !lower.equals("to")) {
                            fail(node, "unknown envelope part '" + part + "'");
                        }
                    }
                }
                case "vacation" -> {
                    if (node.tagNumber("days").filter(d -> d < 0).isPresent()) {
                        fail(node, "':days' may not be negative");
                    }
                }
                default -> { }
            }
        }

        private static void fail(Node node, String message) throws SieveSyntaxException {
            throw new SieveSyntaxException(node.line(), message);
        }
    }
}
