package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNameCodec;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailStore;

/**
 * Serves a Maildir that Debian's Dovecot 2.3.19 wrote (see generate-dovecot-fixture.sh) and
 * checks that Roost sees exactly what Dovecot reported over IMAP: folders, subscriptions,
 * UIDVALIDITY, UIDNEXT, and per message UID, flags, keywords, INTERNALDATE and RFC822.SIZE.
 */
class DovecotFixtureTest {

    @TempDir
    Path temp;
    Path maildir;
    MailStore store;
    Expected expected;

    record ExpectedMessage(long uid, Set<SystemFlag> flags, Set<String> keywords, Instant date, long size) {
    }

    record ExpectedMailbox(long uidValidity, long uidNext, List<ExpectedMessage> messages) {
    }

    record Expected(Map<String, ExpectedMailbox> mailboxes, Map<String, String> listAttributes, Set<String> subscribed) {
    }

    @BeforeEach
    void copyFixture() throws IOException, URISyntaxException {
        var resources = Path.of(getClass().getResource("/maildir").toURI());
        maildir = temp.resolve("fixture");
        copyTree(resources.resolve("dovecot-fixture"), maildir);
        // Git keeps no mtimes; the generator recorded them (INTERNALDATE is the mtime).
        for (var line : Files.readAllLines(resources.resolve("dovecot-fixture-mtimes.txt"), StandardCharsets.UTF_8)) {
            var fields = line.split("\t");
            Files.setLastModifiedTime(maildir.resolve(fields[0]), FileTime.from(Instant.ofEpochSecond(Long.parseLong(fields[1]))));
        }
        expected = parse(Files.readAllLines(resources.resolve("dovecot-fixture-expected.txt"), StandardCharsets.UTF_8));
        store = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(maildir);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Expected parse(List<String> lines) {
        var mailboxes = new TreeMap<String, ExpectedMailbox>();
        var list = new TreeMap<String, String>();
        var subscribed = new HashSet<String>();
        for (var line : lines) {
            var f = line.split("\t", -1);
            switch (f[0]) {
                case "list" -> list.put(MailboxNameCodec.decode(f[1]), f[2]);
                case "lsub" -> subscribed.add(MailboxNameCodec.decode(f[1]));
                case "mailbox" -> mailboxes.put(MailboxNameCodec.decode(f[1]),
                        new ExpectedMailbox(Long.parseLong(f[2]), Long.parseLong(f[3]), new ArrayList<>()));
                case "message" -> mailboxes.get(MailboxNameCodec.decode(f[1])).messages().add(message(f));
                default -> throw new IllegalStateException("unknown fixture line: " + line);
            }
        }
        return new Expected(mailboxes, list, subscribed);
    }

    private static ExpectedMessage message(String[] f) {
        var flags = new HashSet<SystemFlag>();
        var keywords = new TreeSet<String>();
        for (var flag : f[3].split(" ")) {
            if (!flag.isEmpty()) {
                SystemFlag.fromImapName(flag).ifPresentOrElse(flags::add, () -> keywords.add(flag));
            }
        }
        return new ExpectedMessage(Long.parseLong(f[2]), flags, keywords,
                Instant.ofEpochSecond(Long.parseLong(f[4])), Long.parseLong(f[5]));
    }

    @Test
    void fixtureHasTheInterestingCases() {
        assertTrue(expected.mailboxes().containsKey("Entw\u00fcrfe"));
        assertTrue(expected.mailboxes().containsKey("\u65e5\u672c\u8a9e"));
        assertTrue(expected.mailboxes().get("INBOX").messages().size() >= 5);
        assertEquals(7, expected.mailboxes().get("INBOX").uidNext(), "one message was expunged: a UID gap");
    }

    @Test
    void foldersMatchDovecotsList() throws IOException {
        var seen = new TreeMap<String, MailboxInfo>();
        store.list().forEach(info -> seen.put(info.name(), info));
        assertEquals(expected.listAttributes().keySet(), seen.keySet());
        expected.listAttributes().forEach((name, attributes) -> {
            var info = seen.get(name);
            // Dovecot's cached list index still showed the deleted "Parent" without \Noselect,
            // though SELECT Parent answered "Mailbox doesn't exist": Roost reports it \Noselect.
            boolean selectable = !attributes.contains("\\Noselect") && !name.equals("Parent");
            assertEquals(selectable, info.selectable(), name);
            assertEquals(attributes.contains("\\HasChildren"), info.hasChildren(), name);
        });
    }

    @Test
    void subscriptionsMatchDovecotsLsub() throws IOException {
        assertEquals(expected.subscribed(), store.subscriptions());
    }

    @Test
    void uidsFlagsKeywordsDatesAndSizesMatchDovecot() throws IOException {
        for (var entry : expected.mailboxes().entrySet()) {
            var mailbox = store.mailbox(entry.getKey());
            var want = entry.getValue();
            var messages = StatedScan.of(mailbox);
            assertEquals(want.uidValidity(), mailbox.uidValidity(), entry.getKey());
            assertEquals(want.uidNext(), mailbox.nextUid(), entry.getKey());
            assertEquals(want.messages(), messages.stream().map(DovecotFixtureTest::asExpected).toList(), entry.getKey());
        }
    }

    @Test
    void servingTheFixtureChangesNoUidAndKeepsTheUidListReadableForDovecot() throws IOException {
        var inbox = store.mailbox("INBOX");
        var before = inbox.scan();
        var changed = inbox.setFlags(before.get(0), Set.of(SystemFlag.SEEN), Set.of("$Junk", "New-Keyword"));
        var appended = inbox.append(new java.io.ByteArrayInputStream("Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII)),
                Set.of(), Set.of(), Instant.ofEpochSecond(1_700_001_000));
        assertEquals(7, appended.uid(), "continues after Dovecot's UIDNEXT");
        var reopened = new MaildirDriver().open(maildir).mailbox("INBOX");
        var after = reopened.scan();
        assertEquals(before.size() + 1, after.size());
        assertEquals(changed, after.get(0));
        assertEquals(before.subList(1, before.size()), after.subList(1, before.size()));
        var keywords = Files.readString(maildir.resolve("dovecot-keywords"));
        assertTrue(keywords.startsWith("0 $Forwarded\n1 Project-X\n2 $Junk\n3 New-Keyword\n"), keywords);
        var uidlist = Files.readString(maildir.resolve("dovecot-uidlist"));
        var header = uidlist.lines().findFirst().orElseThrow();
        assertTrue(header.matches("3 V" + expected.mailboxes().get("INBOX").uidValidity() + " N[78] G[0-9a-f]{32}"), header);
        assertTrue(uidlist.contains("\n7 :" + appended.key() + "\n"), uidlist);
    }

    private static ExpectedMessage asExpected(StoredMessage m) {
        return new ExpectedMessage(m.uid(), m.flags(), new TreeSet<>(m.keywords()), m.internalDate(), m.virtualSize());
    }
}
