package org.roost.sieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigLoader;
import org.roost.config.RoostConfig;
import org.roost.testing.SmtpCapture;

/** Scripts run on messages, as delivery runs them; what leaves goes to a capturing SMTP relay on loopback. */
class SieveFilterTest {
    private static final String MESSAGE = """
            Return-Path: <sender@example.net>
            From: Sender <sender@example.net>
            To: Alice <alice@example.org>
            Subject: Hello there
            Message-ID: <m1@example.net>
            Date: Tue, 3 Jun 2025 18:05:30 +0200
            X-Spam-Score: 7

            Hi Alice, see you at the meeting.
            """.replace("\n", "\r\n");

    @TempDir
    Path dir;
    private final SmtpCapture relay = new SmtpCapture();
    private final Map<String, String> env = new HashMap<>();
    private Clock clock = Clock.fixed(Instant.parse("2025-06-03T16:10:00Z"), ZoneOffset.UTC);

    SieveFilterTest() throws Exception {
    }

    @AfterEach
    void closeRelay() throws Exception {
        relay.close();
    }

    private RoostConfig config() throws Exception {
        var all = new HashMap<>(env);
        all.putIfAbsent("ROOST_DATA", dir.toString());
        all.putIfAbsent("ROOST_SIEVE_RELAY", relay.relay());
        return new ConfigLoader().load(null, all);
    }

    private Path home() {
        return dir.resolve("home");
    }

    private void activate(String script) throws Exception {
        var store = new ScriptStore(home(), 1 << 20, 100, false);
        store.write(new ScriptName("main"), script);
        store.activate(new ScriptName("main"));
    }

    private SieveFilter filter() throws Exception {
        var config = config();
        var stores = new ScriptStores(config.sieve(), false, user -> Optional.of(home().toString()));
        return new SieveFilter(config.sieve(), config.delivery(), false, stores, SieveEvents.NONE, clock);
    }

    private static SieveFilter.Delivery delivery(String message, String sender, String recipient) {
        var bytes = message.getBytes(StandardCharsets.UTF_8);
        return new SieveFilter.Delivery("alice", sender, recipient, () -> new ByteArrayInputStream(bytes),
                bytes.length);
    }

    private SieveFilter.Verdict decide(String script, String message) throws Exception {
        activate(script);
        return filter().decide(delivery(message, "sender@example.net", "alice+shop@example.org"),
                (user, mailbox) -> mailbox.equals("Existing"));
    }

    private static List<String> mailboxes(SieveFilter.Verdict verdict) {
        return verdict.stores().stream().map(Action.Store::mailbox).toList();
    }

    @Test
    void withoutAScriptEverythingGoesToInbox() throws Exception {
        var verdict = filter().decide(delivery(MESSAGE, "s@x", "alice@example.org"), (u, m) -> false);
        assertEquals(List.of("INBOX"), mailboxes(verdict));
    }

    @Test
    void spamByHeaderGoesToJunkAndStops() throws Exception {
        var verdict = decide("""
                require ["fileinto", "relational", "comparator-i;ascii-numeric"];
                if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5" {
                    fileinto "Junk";
                    stop;
                }
                fileinto "NotReached";
                """, MESSAGE);
        assertEquals(List.of("Junk"), mailboxes(verdict));
    }

    @Test
    void listFilingUsesTheMatchVariables() throws Exception {
        var message = "List-Id: Developers <dev.lists.example.org>\r\n" + MESSAGE;
        var verdict = decide("""
                require ["fileinto", "variables", "mailbox"];
                if header :matches "List-Id" "*<*.lists.example.org>" {
                    set :lower "list" "${2}";
                    fileinto :create "Lists.${list}";
                }
                """, message);
        assertEquals(List.of("Lists.dev"), mailboxes(verdict));
        assertTrue(verdict.stores().getFirst().create());
    }

    @Test
    void subaddressFilingAndCopyKeepTheImplicitKeep() throws Exception {
        var verdict = decide("""
                require ["fileinto", "envelope", "subaddress", "copy", "imap4flags"];
                if envelope :detail "to" "shop" {
                    fileinto :copy :flags "\\\\Flagged shopping" "Shopping";
                }
                if address :user "to" "alice" { addflag "\\\\Seen"; }
                if address :detail "to" "" { fileinto "NoDetail"; }
                """, MESSAGE);
        assertEquals(List.of("Shopping", "INBOX"), mailboxes(verdict));
        assertEquals(Set.of("\\Flagged", "shopping"), verdict.stores().get(0).flags());
        assertEquals(Set.of("\\Seen"), verdict.stores().get(1).flags());
    }

    @Test
    void bodyDateSizeExistsAndAnyof() throws Exception {
        var verdict = decide("""
                require ["fileinto", "body", "date", "relational"];
                if allof (body :text :contains "meeting", exists ["From", "Date"], size :under 10K,
                          date :value "ge" :originalzone "date" "hour" "18",
                          date :is :zone "+0000" "date" "hour" "16",
                          currentdate :is "date" "2025-06-03",
                          anyof (false, not header :is "Subject" "Nope")) {
                    fileinto "Matched";
                }
                """, MESSAGE);
        assertEquals(List.of("Matched"), mailboxes(verdict));
    }

    @Test
    void aFailingScriptKeepsTheMessageInInbox() throws Exception {
        assertEquals(List.of("INBOX"), mailboxes(decide("fileinto \"x\";", MESSAGE)), "compile error");
        env.put("ROOST_SIEVE_MAXACTIONS", "2");
        assertEquals(List.of("INBOX"), mailboxes(decide("""
                require "fileinto";
                fileinto "a"; fileinto "b"; fileinto "c";
                """, MESSAGE)), "too many actions");
        assertEquals(List.of("INBOX"), mailboxes(decide("""
                require "include";
                include "missing";
                fileinto "a";
                """, MESSAGE)), "a missing include");
    }

    @Test
    void discardKeepsNothingAndRejectRefuses() throws Exception {
        assertEquals(List.of(), mailboxes(decide("discard;", MESSAGE)));
        var rejected = decide("require \"reject\"; reject \"not wanted\";", MESSAGE);
        assertEquals(Optional.of("not wanted"), rejected.rejection());
        assertEquals(List.of("INBOX"), mailboxes(decide("require [\"reject\", \"fileinto\"]; fileinto \"a\";"
                + " reject \"x\";", MESSAGE)), "reject with fileinto is a run-time error");
    }

    @Test
    void includeRunsPersonalAndGlobalScriptsOnce() throws Exception {
        var global = Files.createDirectories(dir.resolve("global"));
        Files.writeString(global.resolve("spam.sieve"), "require \"fileinto\"; fileinto \"GlobalJunk\";");
        env.put("ROOST_SIEVE_GLOBAL", global.toString());
        var store = new ScriptStore(home(), 1 << 20, 100, false);
        store.write(new ScriptName("lists"), "require [\"fileinto\", \"include\"]; fileinto \"Personal\"; return;"
                + " fileinto \"AfterReturn\";");
        var verdict = decide("""
                require ["include", "fileinto"];
                include :personal "lists";
                include :once :global "spam";
                include :once :global "spam";
                include :optional "absent";
                """, MESSAGE);
        assertEquals(List.of("Personal", "GlobalJunk"), mailboxes(verdict));
    }

    @Test
    void beforeAndAfterScriptsSurroundTheUsersOwn() throws Exception {
        var before = dir.resolve("before.sieve");
        Files.writeString(before, "require \"imap4flags\"; addflag \"global\";");
        var after = dir.resolve("after.sieve");
        Files.writeString(after, "require [\"fileinto\", \"copy\"]; fileinto :copy \"Archive\";");
        env.put("ROOST_SIEVE_BEFORE", before.toString());
        env.put("ROOST_SIEVE_AFTER", after.toString());
        var verdict = decide("require \"imap4flags\"; addflag \"mine\";", MESSAGE);
        assertEquals(List.of("Archive", "INBOX"), mailboxes(verdict));
        assertEquals(Set.of("global", "mine"), verdict.stores().get(1).flags());
        var discarded = decide("discard;", MESSAGE);
        assertEquals(List.of(), mailboxes(discarded), "after scripts do not run once the message is not kept");
        Files.writeString(before, "require \"imap4flags\"; addflag \"global\"; stop;");
        assertEquals(List.of("INBOX", "Archive"), mailboxes(decide("keep;", MESSAGE)),
                "stop ends its own script only, as in Pigeonhole");
    }

    @Test
    void vacationAnswersOncePerDaysAndNeverToListsOrAutomaticMail() throws Exception {
        var script = """
                require "vacation";
                vacation :days 3 :subject "Away" :addresses ["alice@example.org"] "I am away. Très loin.";
                """;
        var verdict = decide(script, MESSAGE);
        assertEquals(List.of("INBOX"), mailboxes(verdict));
        var filter = filter();
        var delivery = delivery(MESSAGE, "sender@example.net", "alice@example.org");
        filter.respond(verdict, delivery);
        var reply = relay.next(10);
        assertNotNull(reply);
        assertEquals("", reply.sender(), "RFC 5230 §5.1: the null sender");
        assertEquals(List.of("sender@example.net"), reply.recipients());
        assertTrue(reply.data().contains("\r\nAuto-Submitted: auto-replied"), reply.data());
        assertTrue(reply.data().contains("\r\nIn-Reply-To: <m1@example.net>\r\n"), reply.data());
        assertTrue(reply.data().contains("\r\nSubject: Away\r\n"), reply.data());
        assertTrue(reply.data().contains("Tr=C3=A8s loin."), reply.data());
        filter.respond(verdict, delivery);
        clock = Clock.offset(clock, Duration.ofDays(2));
        filter().respond(verdict, delivery);
        assertNull(relay.next(1), "within :days no second reply");
        clock = Clock.offset(clock, Duration.ofDays(2));
        filter().respond(verdict, delivery);
        assertNotNull(relay.next(10), "after :days the next one");
        for (var automatic : List.of("List-Id: <l.example.org>\r\n", "Precedence: bulk\r\n",
                "Auto-Submitted: auto-generated\r\n")) {
            assertTrue(decide(script, automatic + MESSAGE).vacation().isEmpty(), automatic);
        }
        assertTrue(decide(script, MESSAGE.replace("To: Alice <alice@example.org>", "To: other@example.org"))
                .vacation().isEmpty(), "not addressed to the user");
        activate(script);
        assertTrue(filter().decide(delivery(MESSAGE, "", "alice@example.org"), (u, m) -> false).vacation().isEmpty(),
                "never to the null sender");
        assertTrue(filter().decide(delivery(MESSAGE, "owner-list@example.net", "alice@example.org"),
                (u, m) -> false).vacation().isEmpty(), "never to list software");
    }

    @Test
    void redirectGoesThroughTheRelayOnceAndAFailureKeepsTheMessage() throws Exception {
        var verdict = decide("redirect \"bob@example.com\";", MESSAGE);
        var filter = filter();
        var delivery = delivery(MESSAGE, "sender@example.net", "alice@example.org");
        assertEquals(List.of(), filter.redirect(verdict, delivery));
        var sent = relay.next(10);
        assertEquals(List.of("bob@example.com"), sent.recipients());
        assertEquals("sender@example.net", sent.sender());
        assertTrue(sent.data().startsWith("X-Sieve-Redirected-From: alice@example.org\r\n"), sent.data());
        assertEquals(List.of(), filter.redirect(verdict, delivery), "a retried delivery");
        assertNull(relay.next(1), "is not redirected twice");
        relay.refuse(true);
        var other = decide("redirect \"carol@example.com\";", MESSAGE);
        assertEquals(List.of("INBOX"), mailboxes(new SieveFilter.Verdict(filter.redirect(other, delivery), List.of(),
                Optional.empty(), Optional.empty())), "a refused redirect keeps the message");
        relay.refuse(false);
        var looped = delivery("X-Sieve-Redirected-From: alice@example.org\r\n" + MESSAGE, "s@x", "alice@example.org");
        assertEquals(List.of("INBOX"), filter.redirect(other, looped).stream().map(Action.Store::mailbox).toList(),
                "a message that comes back is not sent round again");
        env.put("ROOST_SIEVE_MAXREDIRECTS", "1");
        assertEquals(List.of("INBOX"), mailboxes(decide("redirect \"a@x.y\"; redirect \"b@x.y\";", MESSAGE)));
    }

    /**
     * A script whose tests take long (a long key searched in a long value, again and again) is ended at
     * sieve.maxCpuTime as a failure: the message goes to INBOX, and the fileinto at its end never happens.
     */
    @Test
    void aScriptThatRunsTooLongEndsInInbox() throws Exception {
        env.put("ROOST_SIEVE_MAXCPUTIME", "200ms");
        var longHeader = "X-Long: " + "a".repeat(60_000) + "\r\n";
        var test = "if header :contains \"X-Long\" \"" + "a".repeat(30_000) + "b\" { stop; }\n";
        var script = "require \"fileinto\";\n" + test.repeat(20) + "fileinto \"End\";\n";
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertEquals(List.of("INBOX"), mailboxes(decide(script, longHeader + MESSAGE)));
        });
    }

    /** :matches costs at most value length × pattern length, whatever the wildcards (no backtracking blow-up). */
    @Test
    void hostileWildcardPatternsStayCheap() throws Exception {
        var longHeader = "X-Long: " + "a".repeat(20_000) + "\r\n";
        var script = "require \"fileinto\";\nif header :matches \"X-Long\" \"" + "*a*?".repeat(500)
                + "b\" { fileinto \"x\"; }\nfileinto \"End\";\n";
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertEquals(List.of("End"), mailboxes(decide(script, longHeader + MESSAGE)));
        });
    }
}
