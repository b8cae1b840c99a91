package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.Dovecot;
import org.roost.testing.ImapScript;
import org.roost.testing.TestServer;

/**
 * RFC 5256 leaves room (what a valid date or Message-ID is, how addresses collate); Dovecot's
 * answers decide. The same seeded mailbox of tricky subjects, dates, addresses and references is
 * appended to Dovecot and to Roost, and every SORT criterion and every THREAD algorithm must answer
 * alike. Differences by design are in docs/sort-thread.md.
 */
class DovecotSortComparisonTest {
    private static final List<String> COMMANDS = List.of(
            "SORT (SUBJECT) UTF-8 ALL", "SORT (DATE) UTF-8 ALL", "SORT (REVERSE DATE) UTF-8 ALL",
            "SORT (ARRIVAL) UTF-8 ALL", "SORT (SIZE) UTF-8 ALL", "SORT (FROM) UTF-8 ALL", "SORT (TO) UTF-8 ALL",
            "SORT (CC) UTF-8 ALL", "SORT (DISPLAYFROM) UTF-8 ALL", "SORT (DISPLAYTO) UTF-8 ALL",
            "SORT (SUBJECT REVERSE ARRIVAL) UTF-8 ALL", "SORT (REVERSE SUBJECT FROM) US-ASCII 2:*",
            "THREAD ORDEREDSUBJECT UTF-8 ALL", "THREAD REFERENCES UTF-8 ALL", "THREAD REFERENCES UTF-8 1:40", "THREAD ORDEREDSUBJECT US-ASCII 30:*",
            "THREAD REFS UTF-8 ALL", "THREAD REFS UTF-8 1:40", "UID THREAD REFS US-ASCII 30:*");
    private static final Pattern ANSWER = Pattern.compile("(?m)^\\* (SORT|THREAD)\\b.*$");
    private static final String[] PREFIXES = {"", "", "Re: ", "RE: re: ", "Fwd: ", "[list] ", "Re[2]: ", "fw: ",
        "[a][b] Re: ", " ", "Re:Re: "};
    private static final String[] BASES = {"hello", "Hello", "HELLO world", "world", "été", "=?UTF-8?Q?=C3=89t=C3=A9?=",
        "", "[tag]", "straße", "Ünïcödé", "a\tb  c", "zebra", "Apple"};
    private static final String[] TRAILERS = {"", "", " (fwd)", "  ", " (FWD) (fwd)"};
    private static final String[] ZONES = {"+0000", "-0800", "+0530", "GMT", "PST", "XYZ", "+1300", "-1200"};
    private static final String[] NAMES = {"", "Alice", "bob", "=?UTF-8?Q?=C3=89mile?=", "\"Zed, Z.\"", "carol"};
    private static final String[] MAILBOXES = {"alice", "Bob", "carol", "émile", "zed", "ALICE", "a.b"};

    @TempDir
    Path dir;

    @Test
    void answersAsDovecotDoes() throws Exception {
        Dovecot.require();
        for (long seed = 1; seed <= 3; seed++) {
            var work = dir.resolve("seed" + seed);
            var mail = work.resolve("mail");
            Files.createDirectories(mail);
            var dovecot = Dovecot.over(mail, "maildir:" + mail, work);
            var script = new ArrayList<Object>(appends(new Random(seed), 80));
            script.add("s SELECT INBOX");
            for (int i = 0; i < COMMANDS.size(); i++) {
                script.add("c" + i + " " + COMMANDS.get(i));
            }
            script.add("z LOGOUT");
            var expected = answers(dovecot.session(script));
            try (var roost = TestServer.start(work.resolve("roost"))) {
                var roostScript = new ArrayList<Object>();
                roostScript.add("l LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
                roostScript.addAll(script);
                var actual = answers(ImapScript.run(roost.imapPort(), roostScript));
                assertEquals(COMMANDS.size(), expected.size(), "Dovecot answered every command");
                for (int i = 0; i < COMMANDS.size(); i++) {
                    assertEquals(expected.get(i), actual.get(i), "seed " + seed + ": " + COMMANDS.get(i));
                }
            }
        }
    }

    private static List<String> answers(String transcript) {
        var lines = new ArrayList<String>();
        var m = ANSWER.matcher(transcript);
        while (m.find()) {
            lines.add(m.group().strip());
        }
        return lines;
    }

    private static List<Object> appends(Random random, int count) {
        var appends = new ArrayList<Object>();
        for (int i = 1; i <= count; i++) {
            var message = message(random, i, count);
            var date = "%02d-Mar-2001 %02d:00:00 +0000".formatted(1 + random.nextInt(28), random.nextInt(24));
            appends.add(new Object[] {"a" + i + " APPEND INBOX \"" + date + "\"", message.getBytes(StandardCharsets.UTF_8)});
        }
        return appends;
    }

    private static String message(Random random, int i, int count) {
        var header = new StringBuilder();
        if (random.nextInt(8) > 0) {
            header.append("From: ").append(address(random)).append("\r\n");
        }
        if (random.nextInt(5) > 0) {
            header.append("To: ").append(address(random)).append(random.nextBoolean() ? ", x@y.org" : "").append("\r\n");
        }
        if (random.nextInt(3) == 0) {
            header.append("Cc: ").append(address(random)).append("\r\n");
        }
        if (random.nextInt(10) > 0) {
            header.append("Subject: ").append(pick(random, PREFIXES)).append(pick(random, BASES))
                    .append(pick(random, TRAILERS)).append("\r\n");
        }
        header.append(date(random));
        if (random.nextInt(8) > 0) {
            header.append("Message-ID: <").append(random.nextInt(count)).append(random.nextInt(6) == 0 ? "" : "@x")
                    .append(">\r\n");
        }
        if (random.nextInt(3) == 0) {
            header.append("References:");
            for (int r = random.nextInt(4); r >= 0; r--) {
                header.append(random.nextInt(5) == 0 ? " <\"" : " <").append(random.nextInt(count))
                        .append(random.nextInt(5) == 0 ? "\"@x>" : "@x>");
            }
            header.append("\r\n");
        } else if (random.nextInt(3) == 0) {
            header.append("In-Reply-To: <").append(random.nextInt(count)).append("@x> (message ").append(i).append(")\r\n");
        }
        return header + "\r\nbody " + "x".repeat(random.nextInt(200)) + "\r\n";
    }

    private static String date(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> "Date: yesterday\r\n";
            case 2 -> "Date: 5 Mar 2001\r\n";
            default -> "Date: %s%d Mar 2001 %02d:%02d:%02d %s\r\n".formatted(random.nextBoolean() ? "Mon, " : "",
                    1 + random.nextInt(3), random.nextInt(24), random.nextInt(60), random.nextInt(60), pick(random, ZONES));
        };
    }

    private static String address(Random random) {
        var name = pick(random, NAMES);
        var mailbox = pick(random, MAILBOXES) + "@" + (random.nextBoolean() ? "example.org" : "Example.COM");
        return name.isEmpty() ? mailbox : name + " <" + mailbox + ">";
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
