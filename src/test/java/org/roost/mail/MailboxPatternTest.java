package org.roost.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3501 §6.3.8 wildcards, checked against a plain dynamic-programming matcher written here. */
class MailboxPatternTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*|Archive.2024|true",
        "%|Archive|true",
        "%|Archive.2024|false",
        "Archive.%|Archive.2024|true",
        "Archive.%|Archive.2024.Q1|false",
        "Archive.*|Archive.2024.Q1|true",
        "Archive.*|Archive|false",
        "*2024|Archive.2024|true",
        "%2024|Archive.2024|false",
        "A%e|Archive|true",
        "A%e|Archive.e|false",
        "A*e|Archive.e|true",
        "Sent|Sent|true",
        "Sent|sent|false",
        // §5.1: INBOX is case-insensitive, as a whole level and as the first level of a longer name
        "inbox|INBOX|true",
        "In%|INBOX|true",
        "i%X|INBOX|true",
        "inbox.%|INBOX.Drafts|true",
        "INBOX.%|inbox.Drafts|true",
        "inbox.drafts|INBOX.Drafts|false",
        "inboxes|INBOXES|false",
        "Inbox%|INBOXES|false",
        "%|INBOXES|true",
    })
    void rfc3501Wildcards(String pattern, String name, boolean expected) {
        assertEquals(expected, MailboxPattern.compile(pattern, '.').matches(name));
        assertEquals(expected, Reference.matches(pattern, name, '.'));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a|a",
        "%%|%",
        "%*|*",
        "*%|*",
        "*%*%*%*%x|*x",
        "a%%b**c%*%d|a%b*c*d",
        "''|''",
    })
    void runsOfWildcardsAreFoldedAsDovecotDoes(String pattern, String folded) {
        assertEquals(folded, MailboxPattern.fold(pattern));
    }

    @Test
    void emptyPatternMatchesOnlyTheEmptyName() {
        var empty = MailboxPattern.compile("", '.');
        assertTrue(empty.matches(""));
        assertFalse(empty.matches("INBOX"));
    }

    @Test
    void otherDelimiters() {
        assertTrue(MailboxPattern.compile("Lists/%", '/').matches("Lists/dev.java"));
        assertFalse(MailboxPattern.compile("Lists.%", '/').matches("Lists/dev"));
        assertTrue(MailboxPattern.compile("inbox/%", '/').matches("INBOX/x"));
    }

    @Test
    void parentsThePatternMatchesAreFoundInTheSamePass() {
        var percent = MailboxPattern.compile("%", '.');
        assertEquals(List.of("Archive"), percent.matchingParents("Archive.2024.Q1"));
        assertEquals(List.of("Archive.2024"), MailboxPattern.compile("Archive.%", '.').matchingParents("Archive.2024.Q1"));
        assertEquals(List.of("a", "a.b", "a.b.c"), MailboxPattern.compile("*", '.').matchingParents("a.b.c.d"));
        assertEquals(List.of("INBOX"), MailboxPattern.compile("inbox", '.').matchingParents("INBOX.Drafts"));
        assertEquals(List.of(), percent.matchingParents("Sent"));
    }

    /** The 43-byte pattern of issue 11 took 50 s as a regular expression; every added pair multiplied it. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void alternatingWildcardsCostNothing() {
        var name = "a".repeat(250);
        for (int pairs : new int[] {10, 20, 1000, 100_000}) {
            var pattern = "*%".repeat(pairs) + "x";
            assertFalse(MailboxPattern.compile(pattern, '.').matches(name));
            assertTrue(MailboxPattern.compile(pattern, '.').matches(name + "x"));
        }
    }

    /** Wildcards separated by literals are not folded: a long pattern of them against long names. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void longPatternsOfSeparatedWildcardsStayLinear() {
        var pattern = MailboxPattern.compile("%a".repeat(5_000) + "%b", '.');
        var name = "a".repeat(5_000);
        for (int i = 0; i < 100; i++) {
            assertFalse(pattern.matches(name));
        }
        assertTrue(pattern.matches(name + "b"));
        assertFalse(pattern.matches(name + ".b"));
    }

    @Test
    void seededRandomPatternsAgreeWithTheReference() {
        var random = new Random(3501);
        var names = new ArrayList<String>();
        for (int i = 0; i < 1_000; i++) {
            names.add(randomName(random));
        }
        int selective = 0;
        for (int p = 0; p < 1_000; p++) {
            var text = randomPattern(random, names);
            var pattern = MailboxPattern.compile(text, '.');
            int matched = 0;
            for (var name : names) {
                boolean expected = Reference.matches(text, name, '.');
                assertEquals(expected, pattern.matches(name), () -> "pattern " + text + " name " + name);
                matched += expected ? 1 : 0;
            }
            selective += matched > 0 && matched < names.size() ? 1 : 0;
        }
        // the generator must give patterns that tell names apart, or the comparison proves little
        assertTrue(selective > 250, "patterns matching some names but not all: " + selective);
    }

    @Test
    void seededRandomParentsAgreeWithTheReference() {
        var random = new Random(9051);
        for (int i = 0; i < 20_000; i++) {
            var name = randomName(random);
            var text = randomPattern(random, List.of(name));
            var expected = new ArrayList<String>();
            for (int at = name.indexOf('.'); at > 0; at = name.indexOf('.', at + 1)) {
                if (Reference.matches(text, name.substring(0, at), '.')) {
                    expected.add(name.substring(0, at));
                }
            }
            assertEquals(expected, MailboxPattern.compile(text, '.').matchingParents(name),
                    "pattern " + text + " name " + name);
        }
    }

    @Test
    void wildcardsAreCountedBeforeFolding() {
        assertEquals(0, MailboxPattern.wildcards("INBOX"));
        assertEquals(4, MailboxPattern.wildcards("a*%b%*"));
    }

    private static final String NAME_CHARS = "abIiNnBbOoXx&-";
    private static final List<String> LEVELS = List.of("a", "b", "ab", "ba", "aab", "Inbox", "x&-");
    private static final String PATTERN_CHARS = "abINBOXinbox.*%";

    /**
     * One to three levels, mostly from a small vocabulary so that names share levels; INBOX (in
     * any case) often first, so its case-insensitivity is tried.
     */
    private static String randomName(Random random) {
        var levels = new ArrayList<String>();
        if (random.nextInt(4) == 0) {
            levels.add(random.nextBoolean() ? "INBOX" : randomCase(random, "inbox"));
        }
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            if (random.nextInt(4) > 0) {
                levels.add(LEVELS.get(random.nextInt(LEVELS.size())));
                continue;
            }
            var level = new StringBuilder();
            for (int k = 1 + random.nextInt(5); k > 0; k--) {
                level.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
            }
            levels.add(level.toString());
        }
        return String.join(".", levels);
    }

    /**
     * Half the patterns are one of {@code names} with spans turned into wildcards and letters
     * changed (so that many match), half are random characters; one in ten is longer than 64
     * tokens, so the bit sets span several words.
     */
    private static String randomPattern(Random random, List<String> names) {
        var pattern = new StringBuilder();
        if (random.nextBoolean()) {
            pattern.append(names.get(random.nextInt(names.size())));
            for (int edits = random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(pattern.length() + 1);
                int end = Math.min(pattern.length(), at + random.nextInt(4));
                pattern.replace(at, end, String.valueOf(random.nextBoolean() ? "*%".charAt(random.nextInt(2))
                        : PATTERN_CHARS.charAt(random.nextInt(PATTERN_CHARS.length()))));
            }
        } else {
            for (int length = random.nextInt(9); length > 0; length--) {
                pattern.append(PATTERN_CHARS.charAt(random.nextInt(PATTERN_CHARS.length())));
            }
        }
        if (random.nextInt(10) == 0) {
            for (int extra = 60 + random.nextInt(140); extra > 0; extra--) {
                pattern.insert(random.nextInt(pattern.length() + 1), random.nextInt(3) == 0 ? "a" : random.nextBoolean() ? "*" : "%");
            }
        }
        return pattern.toString();
    }

    private static String randomCase(Random random, String word) {
        var out = new StringBuilder();
        for (char c : word.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    /**
     * The semantics stated directly: {@code fits[i][j]} says whether the first i pattern characters
     * match the first j name characters. No folding; quadratic tables; obviously right.
     */
    private static final class Reference {
        static boolean matches(String pattern, String name, char delimiter) {
            boolean inboxLevel = name.toUpperCase(java.util.Locale.ROOT).startsWith("INBOX")
                    && (name.length() == 5 || name.charAt(5) == delimiter);
            var fits = new boolean[pattern.length() + 1][name.length() + 1];
            fits[0][0] = true;
            for (int i = 1; i <= pattern.length(); i++) {
                char p = pattern.charAt(i - 1);
                for (int j = 0; j <= name.length(); j++) {
                    fits[i][j] = switch (p) {
                        case '*' -> fits[i - 1][j] || j > 0 && fits[i][j - 1];
                        case '%' -> fits[i - 1][j] || j > 0 && fits[i][j - 1] && name.charAt(j - 1) != delimiter;
                        default -> j > 0 && fits[i - 1][j - 1] && same(p, name.charAt(j - 1), inboxLevel && j <= 5);
                    };
                }
            }
            return fits[pattern.length()][name.length()];
        }

        private static boolean same(char p, char n, boolean ignoreAsciiCase) {
            return p == n || ignoreAsciiCase && p < 128 && n < 128 && Character.toUpperCase(p) == Character.toUpperCase(n);
        }
    }
}
