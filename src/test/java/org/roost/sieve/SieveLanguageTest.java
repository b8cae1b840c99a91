package org.roost.sieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.roost.config.RoostConfig;

/** The language's semantics, with the examples of the RFCs where they give one. */
class SieveLanguageTest {
    private static final String MESSAGE = """
            From: "Coyote" <coyote@ACME.Example.COM>
            To: Alice <alice+lists@example.org>, bob@example.org
            Cc: carol@example.org
            Subject: [acme-users] [fwd] version 1.0 is out
            X-Spam-Score: 07
            Received: from first
            Received: from second
            Received: from third
            Subject-Encoded: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=

            body text
            """.replace("\n", "\r\n");

    /** The mailboxes a script files the message into (INBOX for a keep), in order. */
    private static List<String> run(String script) throws Exception {
        var compiled = switch (new SieveCompiler(SieveCompiler.SUPPORTED).compile(script)) {
            case Compilation.Compiled c -> c.script();
            case Compilation.Invalid i -> throw new AssertionError(i.text());
        };
        var bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        var message = SieveMessage.read(() -> new ByteArrayInputStream(bytes), bytes.length, 4096);
        var run = new Run(message, new Run.Envelope("coyote@acme.example.com", "alice+lists@example.org", "alice",
                "+"), RoostConfig.defaults().sieve(), (global, name) -> Optional.empty(), mailbox -> false,
                ZonedDateTime.of(2025, 6, 3, 12, 0, 0, 0, ZoneOffset.UTC));
        new Interpreter(run, compiled).execute();
        return run.result().stream().map(a -> ((Action.Store) a).mailbox()).toList();
    }

    @Test
    void matchVariablesAreNonGreedyAndIndexZeroIsTheWholeValue() throws Exception {
        // RFC 5229 §3.2's example
        assertEquals(List.of("lists.acme-users.[fwd] version 1.0 is out"), run("""
                require ["fileinto", "variables"];
                if header :matches "Subject" "[*] *" { fileinto "lists.${1}.${2}"; stop; }
                """));
        assertEquals(List.of("coyote|ACME|Example.COM|c"), run("""
                require ["fileinto", "variables"];
                if address :matches "from" "?*@*.*" { fileinto "${1}${2}|${3}|${4}|${01}"; }
                """));
        assertEquals(List.of("business.|ACME.Example"), run("""
                require ["fileinto", "variables"];
                if address :matches ["To", "From"] ["coyote@**.com", "wile@**.com"] {
                    fileinto "business.${1}|${2}";
                }
                """));
        assertEquals(List.of("x[acme-users] [fwd] version 1.0 is out"), run("""
                require ["fileinto", "variables"];
                if header :matches "Subject" "*" { fileinto "x${0}${10}"; }
                """));
    }

    @Test
    void setModifiersApplyInTheirOrderOfPrecedence() throws Exception {
        // RFC 5229 §4.1: :lower/:upper before :lowerfirst/:upperfirst, then :quotewildcard, then :length
        assertEquals(List.of("Juliet|5|a\\*b\\?|"), run("""
                require ["fileinto", "variables"];
                set :upperfirst :lower "name" "JULIET";
                set :length "n" "hello";
                set :quotewildcard "q" "a*b?";
                fileinto "${name}|${n}|${q}|${unset}";
                """));
    }

    @Test
    void relationalCountsAndNumericValues() throws Exception {
        assertEquals(List.of("three", "numeric", "two-to-or-cc"), run("""
                require ["fileinto", "relational", "comparator-i;ascii-numeric"];
                if header :count "eq" :comparator "i;ascii-numeric" "received" "3" { fileinto "three"; }
                if header :value "gt" :comparator "i;ascii-numeric" "x-spam-score" "6" { fileinto "numeric"; }
                if address :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] "3" { fileinto "two-to-or-cc"; }
                if header :value "lt" :comparator "i;ascii-numeric" "subject" "9" { fileinto "not-a-number"; }
                """));
    }

    @Test
    void addressPartsSubaddressAndIndex() throws Exception {
        assertEquals(List.of("domain", "user", "detail", "first", "last"), run("""
                require ["fileinto", "subaddress", "index", "envelope"];
                if address :domain :is "from" "acme.example.com" { fileinto "domain"; }
                if address :user "to" "alice" { fileinto "user"; }
                if envelope :detail "to" "lists" { fileinto "detail"; }
                if header :index 1 :contains "received" "first" { fileinto "first"; }
                if header :index 1 :last :is "received" "from third" { fileinto "last"; }
                if header :index 4 :contains "received" "" { fileinto "none"; }
                """));
    }

    @Test
    void headersAreDecodedAndComparedWithoutCaseByDefault() throws Exception {
        assertEquals(List.of("decoded", "casemap"), run("""
                require "fileinto";
                if header :is "subject-encoded" "Grüße" { fileinto "decoded"; }
                if header :contains "subject" "VERSION" { fileinto "casemap"; }
                if header :contains :comparator "i;octet" "subject" "VERSION" { fileinto "octet"; }
                """));
    }

    @Test
    void flagsAreSetAddedAndRemovedWithoutCase() throws Exception {
        assertEquals(List.of("ok"), run("""
                require ["fileinto", "imap4flags", "variables", "relational"];
                setflag "\\\\Seen a";
                addflag ["B", "\\\\seen"];
                removeflag "A";
                addflag "mine" "x y";
                if allof (hasflag :is "b", not hasflag "a", hasflag :count "eq" "2", hasflag "mine" "y") {
                    fileinto "ok";
                }
                """));
    }

    @Test
    void stopEndsAndImplicitKeepFollowsTheRfc() throws Exception {
        assertEquals(List.of("INBOX"), run("keep; keep;"));
        assertEquals(List.of(), run("discard;"));
        assertEquals(List.of("a", "INBOX"), run("require [\"fileinto\", \"copy\"]; fileinto :copy \"a\";"));
        assertEquals(List.of("a"), run("require \"fileinto\"; fileinto \"a\"; fileinto \"a\"; stop; keep;"));
        assertEquals(List.of("INBOX"), run("if false { discard; } elsif true { keep; } else { discard; }"));
    }

    @Test
    void wildcardEscapesAndHostilePatterns() throws Exception {
        assertEquals(List.of(), Wildcard.match("a\\*b", "a*b", Comparator.OCTET, () -> { }), "no wildcard, no match variable");
        assertNull(Wildcard.match("a\\*b", "axb", Comparator.OCTET, () -> { }));
        assertEquals(List.of("", "x", ""), Wildcard.match("*?*", "x", Comparator.OCTET, () -> { }));
        int[] spent = {0};
        assertNull(Wildcard.match("*a".repeat(100) + "b", "a".repeat(5000), Comparator.OCTET, () -> spent[0]++));
        // widening only the latest star bounds the work by value × pattern length
        assertEquals(true, spent[0] <= 5000L * 202 / 1024 + 1, "work " + spent[0]);
    }

    @Test
    void asciiNumericOrdersByValueAndPutsNonNumbersLast() {
        assertEquals(0, Comparator.ASCII_NUMERIC.compare("007", "7"));
        assertEquals(true, Comparator.ASCII_NUMERIC.compare("10", "9") > 0);
        assertEquals(true, Comparator.ASCII_NUMERIC.compare("x", "99999999999999999999999") > 0);
        assertEquals(0, Comparator.ASCII_NUMERIC.compare("x", "y"));
    }
}
