package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.roost.mail.MailboxNameCodec;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailStore;

/**
 * Writes a Maildir with Roost for Dovecot to read, and a report of what Roost sees in it, in
 * the format of dovecot-fixture-expected.txt. Runs only when check-roost-maildir-with-dovecot.sh
 * passes {@code -Droost.export.maildir} and {@code -Droost.export.report}; skipped otherwise.
 */
class RoostMaildirForDovecotTest {

    private static final long BASE = 1_650_000_000L;

    @Test
    void exportForDovecot() throws IOException {
        var maildir = System.getProperty("roost.export.maildir");
        var report = System.getProperty("roost.export.report");
        assumeTrue(maildir != null && report != null, "only run by check-roost-maildir-with-dovecot.sh");
        var store = new MaildirDriver().open(Path.of(maildir));
        fill(store, Path.of(maildir));
        Files.write(Path.of(report), report(store), StandardCharsets.UTF_8);
    }

    private static void append(MailStore store, String mailbox, String text, Set<SystemFlag> flags,
                               Set<String> keywords, long date) throws IOException {
        store.mailbox(mailbox).append(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), flags, keywords,
                Instant.ofEpochSecond(date));
    }

    private static void fill(MailStore store, Path root) throws IOException {
        for (var name : List.of("Entw\u00fcrfe", "\u65e5\u672c\u8a9e", "Archive.2024", "Tom & Jerry", "Old", "Old.Child")) {
            store.create(name);
        }
        var crlf = "From: a@example.org\r\nSubject: crlf\r\n\r\nbody\r\n";
        var lf = "From: a@example.org\nSubject: lf\n\nbody\nmore\n";
        append(store, "INBOX", crlf, Set.of(), Set.of(), BASE);
        append(store, "INBOX", lf, Set.of(SystemFlag.SEEN, SystemFlag.ANSWERED), Set.of("$Forwarded"), BASE + 60);
        append(store, "INBOX", crlf, Set.of(SystemFlag.DELETED), Set.of(), BASE + 120);
        append(store, "INBOX", crlf, Set.of(SystemFlag.DRAFT, SystemFlag.FLAGGED), Set.of("Project-X", "$Junk"), BASE + 180);
        var inbox = store.mailbox("INBOX");
        var messages = inbox.scan();
        inbox.expunge(List.of(messages.get(2)));
        inbox.setFlags(messages.get(0), Set.of(SystemFlag.SEEN), Set.of("$Junk"));
        // Delivered by someone else (no sizes in the name): Roost measures it once.
        var delivered = root.resolve("new/" + (BASE + 240) + ".M1P1.elsewhere");
        Files.writeString(delivered, lf, StandardCharsets.US_ASCII);
        Files.setLastModifiedTime(delivered, java.nio.file.attribute.FileTime.from(Instant.ofEpochSecond(BASE + 240)));
        messages = inbox.scan();
        inbox.copyTo(store.mailbox("Archive.2024"), List.of(messages.get(1), messages.get(2)));
        append(store, "Entw\u00fcrfe", crlf, Set.of(SystemFlag.DRAFT), Set.of(), BASE + 300);
        append(store, "\u65e5\u672c\u8a9e", crlf, Set.of(SystemFlag.FLAGGED), Set.of("NonJunk"), BASE + 360);
        append(store, "Old.Child", crlf, Set.of(SystemFlag.SEEN), Set.of(), BASE + 420);
        store.rename("Old", "New");
        for (var name : List.of("INBOX", "Entw\u00fcrfe", "Archive.2024", "New.Child")) {
            store.subscribe(name);
        }
    }

    /** The same records fill-dovecot-fixture.py prints from Dovecot's answers. */
    private static List<String> report(MailStore store) throws IOException {
        var lines = new ArrayList<String>();
        for (var info : store.list()) {
            var attributes = (info.selectable() ? "" : "\\Noselect ") + (info.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
            lines.add("list\t" + MailboxNameCodec.encode(info.name()) + "\t" + attributes);
        }
        for (var name : store.subscriptions()) {
            lines.add("lsub\t" + MailboxNameCodec.encode(name));
        }
        for (var info : store.list()) {
            if (!info.selectable()) {
                continue;
            }
            var mailbox = store.mailbox(info.name());
            var messages = mailbox.scan();
            var encoded = MailboxNameCodec.encode(info.name());
            lines.add("mailbox\t" + encoded + "\t" + mailbox.uidValidity() + "\t" + mailbox.nextUid());
            for (var m : messages) {
                var flags = new ArrayList<String>();
                m.flags().forEach(f -> flags.add(f.imapName()));
                flags.addAll(m.keywords());
                lines.add("message\t" + encoded + "\t" + m.uid() + "\t" + String.join(" ", flags) + "\t"
                        + m.internalDate().getEpochSecond() + "\t" + m.virtualSize());
            }
        }
        return lines;
    }
}
