package org.roost.sieve;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The tests of RFC 5228 §5 and of the extensions, on the message and envelope of a {@link Run}. */
final class TestEvaluator {
    private final Run run;
    private final Interpreter interpreter;

    TestEvaluator(Run run, Interpreter interpreter) {
        this.run = run;
        this.interpreter = interpreter;
    }

    boolean test(Node test) throws SieveRuntimeException {
        run.step();
        return switch (test.name()) {
            case "true" -> true;
            case "false" -> false;
            case "not" -> !test(test.tests().getFirst());
            case "allof" -> all(test.tests());
            case "anyof" -> any(test.tests());
            case "size" -> test.tagNumber("over").map(n -> run.message.size() > n)
                    .orElseGet(() -> run.message.size() < test.tagNumber("under").orElseThrow());
            case "exists" -> interpreter.strings(test, 0).stream().allMatch(name -> !run.message.raw(name).isEmpty());
            case "header" -> match(test, headerValues(test), 1);
            case "address" -> match(test, addressValues(test), 1);
            case "envelope" -> match(test, envelopeValues(test), 1);
            case "string" -> match(test, interpreter.strings(test, 0).stream()
                    .filter(s -> !test.has("count") || !s.isEmpty()).toList(), 1);
            case "hasflag" -> match(test, hasflagValues(test), test.positional().size() - 1);
            case "body" -> match(test, bodyValues(test), 0);
            case "date", "currentdate" -> match(test, DateParts.values(test, run, interpreter), test.positional().size() - 1);
            case "mailboxexists" -> interpreter.strings(test, 0).stream().allMatch(run.mailboxes::exists);
            default -> throw new IllegalStateException("checked at compile time: " + test.name());
        };
    }

    private boolean all(List<Node> tests) throws SieveRuntimeException {
        for (var t : tests) {
            if (!test(t)) {
                return false;
            }
        }
        return true;
    }

    private boolean any(List<Node> tests) throws SieveRuntimeException {
        for (var t : tests) {
            if (test(t)) {
                return true;
            }
        }
        return false;
    }

    private boolean match(Node test, List<String> values, int keyIndex) throws SieveRuntimeException {
        return Matcher.of(test).test(values, interpreter.strings(test, keyIndex), run, interpreter);
    }

    /** RFC 5228 §5.7, with :index and :last (RFC 5260 §6) choosing one occurrence. */
    private List<String> headerValues(Node test) {
        var values = new ArrayList<String>();
        for (var name : interpreter.strings(test, 0)) {
            values.addAll(indexed(test, run.message.header(name)));
        }
        return values;
    }

    static <T> List<T> indexed(Node test, List<T> values) {
        var index = test.tagNumber("index");
        if (index.isEmpty()) {
            return values;
        }
        long i = test.has("last") ? values.size() - index.get() : index.get() - 1;
        return i >= 0 && i < values.size() ? List.of(values.get((int) i)) : List.of();
    }

    /** RFC 5228 §5.1: the addresses in the named fields, each reduced to the asked part. */
    private List<String> addressValues(Node test) {
        var values = new ArrayList<String>();
        for (var name : interpreter.strings(test, 0)) {
            for (var raw : indexed(test, run.message.raw(name))) {
                for (var address : SieveMessage.addresses(raw)) {
                    AddressPart.of(test).of(address, run.envelope.recipientDelimiter()).ifPresent(values::add);
                }
            }
        }
        return values;
    }

    /** RFC 5228 §5.4: "from" is the sender ("" for the null sender), "to" the recipient. */
    private List<String> envelopeValues(Node test) {
        var values = new ArrayList<String>();
        for (var part : interpreter.strings(test, 0)) {
            var address = switch (part.toLowerCase(Locale.ROOT)) {
                case "from" -> run.envelope.sender();
                case "to" -> run.envelope.recipient();
                default -> null;
            };
            if (address == null) {
                continue;
            }
            if (address.isEmpty()) {
                if (AddressPart.of(test) == AddressPart.ALL) {
                    values.add("");
                }
                continue;
            }
            AddressPart.of(test).of(address, run.envelope.recipientDelimiter()).ifPresent(values::add);
        }
        return values;
    }

    /** RFC 5232 §4: the flags of the named variables, or of the internal one. */
    private List<String> hasflagValues(Node test) {
        if (test.positional().size() == 2) {
            var names = interpreter.strings(test, 0);
            var texts = names.stream().map(name -> interpreter.variables().get(name)).toList();
            return List.copyOf(Interpreter.splitFlags(texts));
        }
        return List.copyOf(run.flags);
    }

    /** RFC 5173 §5: :raw, :content TYPES, or :text (the default). */
    private List<String> bodyValues(Node test) throws SieveRuntimeException {
        try {
            if (test.has("raw")) {
                return run.message.body(true, List.of());
            }
            var types = test.has("content") ? interpreter.expand(test.tagStrings("content")) : List.of("text");
            return run.message.body(false, types);
        } catch (IOException e) {
            throw new SieveRuntimeException("the message body could not be read: " + e.getMessage());
        }
    }
}
