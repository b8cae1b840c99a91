package org.roost.sieve;

import static org.roost.sieve.Signature.Type.NUMBER;
import static org.roost.sieve.Signature.Type.STRING;
import static org.roost.sieve.Signature.Type.STRINGS;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.roost.sieve.Signature.Tests;

/** The commands and tests Roost runs, with their signatures from each RFC's grammar. */
final class Signatures {
    static final Map<String, Signature> COMMANDS = index(
            Signature.command("require", null).shapes(List.of(STRINGS)),
            Signature.command("if", null).tests(Tests.ONE).block(),
            Signature.command("elsif", null).tests(Tests.ONE).block(),
            Signature.command("else", null).block(),
            Signature.command("stop", null),
            Signature.command("keep", null).tag("flags", STRINGS, "flags", "imap4flags"),
            Signature.command("discard", null),
            Signature.command("redirect", null).flag("copy", "copy", "copy").shapes(List.of(STRING)),
            Signature.command("fileinto", "fileinto").flag("copy", "copy", "copy").flag("create", "create", "mailbox")
                    .tag("flags", STRINGS, "flags", "imap4flags").shapes(List.of(STRING)),
            Signature.command("reject", "reject").shapes(List.of(STRING)),
            Signature.command("ereject", "ereject").shapes(List.of(STRING)),
            Signature.command("vacation", "vacation").tag("days", NUMBER, "period", null)
                    .tag("subject", STRING, "subject", null).tag("from", STRING, "from", null)
                    .tag("addresses", STRINGS, "addresses", null).flag("mime", "mime", null)
                    .tag("handle", STRING, "handle", null).shapes(List.of(STRING)),
            flagCommand("setflag"), flagCommand("addflag"), flagCommand("removeflag"),
            Signature.command("set", "variables").flag("lower", "case", null).flag("upper", "case", null)
                    .flag("lowerfirst", "first", null).flag("upperfirst", "first", null)
                    .flag("quotewildcard", "quotewildcard", null).flag("length", "length", null)
                    .shapes(List.of(STRING, STRING)),
            Signature.command("include", "include").flag("personal", "location", null)
                    .flag("global", "location", null).flag("once", "once", null).flag("optional", "optional", null)
                    .shapes(List.of(STRING)),
            Signature.command("return", "include"),
            Signature.command("global", "include").shapes(List.of(STRINGS)));

    static final Map<String, Signature> TESTS = index(
            Signature.command("address", null).matching().addressParts().indexed().shapes(List.of(STRINGS, STRINGS)),
            Signature.command("header", null).matching().indexed().shapes(List.of(STRINGS, STRINGS)),
            Signature.command("envelope", "envelope").matching().addressParts().shapes(List.of(STRINGS, STRINGS)),
            Signature.command("exists", null).shapes(List.of(STRINGS)),
            Signature.command("size", null).tag("over", NUMBER, "size", null).tag("under", NUMBER, "size", null),
            Signature.command("allof", null).tests(Tests.LIST),
            Signature.command("anyof", null).tests(Tests.LIST),
            Signature.command("not", null).tests(Tests.ONE),
            Signature.command("true", null),
            Signature.command("false", null),
            Signature.command("body", "body").matching().flag("raw", "transform", null)
                    .tag("content", STRINGS, "transform", null).flag("text", "transform", null)
                    .shapes(List.of(STRINGS)),
            Signature.command("string", "variables").matching().shapes(List.of(STRINGS, STRINGS)),
            Signature.command("hasflag", "imap4flags").matching().shapes(List.of(STRINGS), List.of(STRINGS, STRINGS)),
            Signature.command("date", "date").tag("zone", STRING, "zone", null).flag("originalzone", "zone", null)
                    .matching().indexed().shapes(List.of(STRING, STRING, STRINGS)),
            Signature.command("currentdate", "date").tag("zone", STRING, "zone", null).matching()
                    .shapes(List.of(STRING, STRINGS)),
            Signature.command("mailboxexists", "mailbox").shapes(List.of(STRINGS)));

    private Signatures() {}

    /** RFC 5232 §3: an optional variable name before the flags. */
    private static Signature.Builder flagCommand(String name) {
        return Signature.command(name, "imap4flags").shapes(List.of(STRINGS), List.of(STRING, STRINGS));
    }

    private static Map<String, Signature> index(Signature.Builder... builders) {
        return Stream.of(builders).map(Signature.Builder::build)
                .collect(Collectors.toUnmodifiableMap(Signature::name, Function.identity()));
    }
}
