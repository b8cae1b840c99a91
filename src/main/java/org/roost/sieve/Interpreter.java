package org.roost.sieve;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs one compiled script within a {@link Run}: the control commands of RFC 5228 §3, the actions of §4 and the
 * extensions' commands; tests go to {@link TestEvaluator}. Strings are expanded (RFC 5229) when the script requires
 * {@code variables}.
 */
final class Interpreter {
    /** How a block ended: it ran to its end, {@code stop} ended every script, or {@code return} ended this one. */
    enum Flow { NEXT, STOP, RETURN }

    private final Run run;
    private final CompiledScript script;
    private final Variables variables;
    private final boolean expands;
    private final TestEvaluator tests;

    Interpreter(Run run, CompiledScript script) {
        this.run = run;
        this.script = script;
        this.variables = new Variables(run.globals);
        this.expands = script.extensions().contains("variables");
        this.tests = new TestEvaluator(run, this);
    }

    /** Runs the script; {@code STOP} when it (or a script it included) said {@code stop}, which ends both. */
    Flow execute() throws SieveRuntimeException {
        var flow = block(script.commands());
        return flow == Flow.STOP ? Flow.STOP : Flow.NEXT;
    }

    private Flow block(List<Node> commands) throws SieveRuntimeException {
        boolean branchTaken = false;
        for (var command : commands) {
            run.step();
            var flow = Flow.NEXT;
            switch (command.name()) {
                case "if" -> {
                    branchTaken = tests.test(command.tests().getFirst());
                    flow = branchTaken ? block(command.block()) : Flow.NEXT;
                }
                case "elsif" -> {
                    if (!branchTaken) {
                        branchTaken = tests.test(command.tests().getFirst());
                        flow = branchTaken ? block(command.block()) : Flow.NEXT;
                    }
                }
                case "else" -> flow = branchTaken ? Flow.NEXT : block(command.block());
                case "stop" -> flow = Flow.STOP;
                case "return" -> flow = Flow.RETURN;
                case "include" -> flow = include(command);
                default -> action(command);
            }
            if (flow != Flow.NEXT) {
                return flow;
            }
        }
        return Flow.NEXT;
    }

    private void action(Node command) throws SieveRuntimeException {
        switch (command.name()) {
            case "require" -> { }
            case "keep" -> run.add(new Action.Store("INBOX", flagsOf(command), false), false);
            case "discard" -> run.implicitKeep = false;
            case "fileinto" -> run.add(new Action.Store(string(command, 0), flagsOf(command), command.has("create")),
                    !command.has("copy"));
            case "redirect" -> run.add(new Action.Redirect(redirectAddress(command)), !command.has("copy"));
            case "reject", "ereject" -> run.add(new Action.Reject(string(command, 0)), true);
            case "vacation" -> {
                var vacation = Vacations.decide(run, command, this);
                if (vacation.isPresent()) {
                    run.add(vacation.get(), false);
                }
            }
            case "setflag", "addflag", "removeflag" -> flags(command);
            case "set" -> variables.set(command.string(0), SetModifiers.apply(command, string(command, 1)));
            case "global" -> command.strings(0).forEach(variables::declareGlobal);
            default -> throw new IllegalStateException("checked at compile time: " + command.name());
        }
    }

    /** RFC 5228 §4.2: an address, without angle brackets; a value that is none is a run-time error. */
    private String redirectAddress(Node command) throws SieveRuntimeException {
        var text = string(command, 0).strip();
        var addresses = SieveMessage.addresses(text);
        if (addresses.size() != 1) {
            throw new SieveRuntimeException("redirect: '" + text + "' is not one mail address");
        }
        return addresses.getFirst();
    }

    /** RFC 6609: the named script runs here, with the same message and actions; missing fails unless :optional. */
    private Flow include(Node command) throws SieveRuntimeException {
        var name = string(command, 0);
        boolean global = command.has("global");
        var key = (global ? "global:" : "personal:") + name;
        if (command.has("once") && !run.includedOnce.add(key)) {
            return Flow.NEXT;
        }
        if (run.includeDepth >= run.limits.maxIncludeDepth()) {
            throw new SieveRuntimeException("include nested deeper than sieve.maxIncludeDepth: " + name);
        }
        var included = run.includes.load(global, name);
        if (included.isEmpty()) {
            if (command.has("optional")) {
                return Flow.NEXT;
            }
            throw new SieveRuntimeException("include: there is no script " + name);
        }
        run.includeDepth++;
        try {
            return new Interpreter(run, included.get()).execute();
        } finally {
            run.includeDepth--;
        }
    }

    /** RFC 5232 §3: setflag, addflag and removeflag, on a named variable or the internal one. */
    private void flags(Node command) throws SieveRuntimeException {
        boolean named = command.positional().size() == 2;
        var given = splitFlags(strings(command, named ? 1 : 0));
        var current = named ? splitFlags(List.of(variables.get(command.string(0)))) : new LinkedHashSet<>(run.flags);
        switch (command.name()) {
            case "setflag" -> {
                current.clear();
                current.addAll(given);
            }
            case "addflag" -> current.addAll(splitFlags(List.of(String.join(" ", current), String.join(" ", given))));
            default -> current.removeIf(f -> containsFlag(given, f));
        }
        if (named) {
            variables.set(command.string(0), String.join(" ", current));
        } else {
            run.flags.clear();
            run.flags.addAll(current);
        }
    }

    /** The flags of {@code :flags}, else the internal variable's (RFC 5232 §5). */
    private Set<String> flagsOf(Node command) throws SieveRuntimeException {
        return command.has("flags") ? Set.copyOf(splitFlags(expand(command.tagStrings("flags"))))
                : Set.copyOf(run.flags);
    }

    /** Flags are space-separated within each string and compared without case (RFC 5232 §3). */
    static LinkedHashSet<String> splitFlags(List<String> strings) {
        var out = new LinkedHashSet<String>();
        for (var s : strings) {
            for (var flag : s.trim().split("\\s+")) {
                if (!flag.isEmpty() && !containsFlag(out, flag)) {
                    out.add(flag);
                }
            }
        }
        return out;
    }

    private static boolean containsFlag(Set<String> flags, String flag) {
        return flags.stream().anyMatch(f -> f.equalsIgnoreCase(flag));
    }

    Variables variables() {
        return variables;
    }

    boolean expands() {
        return expands;
    }

    String expand(String text) {
        return expands ? variables.expand(text) : text;
    }

    List<String> expand(List<String> texts) {
        if (!expands) {
            return texts;
        }
        var out = new ArrayList<String>(texts.size());
        texts.forEach(t -> out.add(variables.expand(t)));
        return out;
    }

    String string(Node node, int index) {
        return expand(node.string(index));
    }

    List<String> strings(Node node, int index) {
        return expand(node.strings(index));
    }

    /** RFC 5229 §4.1: the modifiers of {@code set}, applied from the highest precedence down. */
    private static final class SetModifiers {
        private SetModifiers() {}

        static String apply(Node command, String value) {
            var v = value;
            if (command.has("lower")) {
                v = v.toLowerCase(Locale.ROOT);
            }
            if (command.has("upper")) {
                v = v.toUpperCase(Locale.ROOT);
            }
            if (!v.isEmpty() && command.has("lowerfirst")) {
                v = v.substring(0, 1).toLowerCase(Locale.ROOT) + v.substring(1);
            }
            if (!v.isEmpty() && command.has("upperfirst")) {
                v = v.substring(0, 1).toUpperCase(Locale.ROOT) + v.substring(1);
            }
            if (command.has("quotewildcard")) {
                v = v.chars().mapToObj(c -> c == '*' || c == '?' || c == '\\' ? "\\" + (char) c
                        : String.valueOf((char) c)).collect(Collectors.joining());
            }
            if (command.has("length")) {
                v = String.valueOf(v.codePointCount(0, v.length()));
            }
            return v;
        }
    }
}
