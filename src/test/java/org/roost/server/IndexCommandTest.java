package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** {@code roost index USER [MAILBOX]} rebuilds the index from the mail and keeps the UIDs. */
class IndexCommandTest {
    @TempDir
    Path dir;

    @Test
    void rebuildsEveryMailboxOfAUserWithTheSameUids() throws Exception {
        var location = "maildir:" + dir.resolve("mail") + "/%u";
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse(location),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 20));
        cache.mailboxes("ann").create("Archive");
        for (var box : List.of("INBOX", "Archive")) {
            var state = cache.open("ann", box);
            for (int i = 0; i < 3; i++) {
                state.append(new ByteArrayInputStream(("Subject: " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII)),
                        Set.of(), Set.of(), Instant.parse("2024-03-01T00:00:00Z"));
            }
        }
        var uids = cache.open("ann", "INBOX").current().uid(2);
        Files.write(dir.resolve("mail/ann/roost.index"), new byte[100]); // damaged
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(List.of("index", "--config", config(location).toString(), "ann"), new PrintStream(out, true),
                new PrintStream(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("ann/INBOX: 3 messages"), out.toString());
        assertTrue(out.toString().contains("ann/Archive: 3 messages"), out.toString());
        var reopened = new IndexCache(new MaildirDriver(MailLocation.parse(location),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 20)).open("ann", "INBOX");
        assertEquals(uids, reopened.current().uid(2));
    }

    /** The server's config, with a passwd-file where {@code carl}'s own mail field puts his mail elsewhere. */
    private Path config(String location) throws IOException {
        var passwd = Files.writeString(dir.resolve("passwd"), "ann:{PLAIN}x::::::\ncarl:{PLAIN}x::::::userdb_mail=maildir:"
                + dir.resolve("mail/elsewhere/carl") + "\n");
        var config = dir.resolve("roost.yaml");
        Files.writeString(config, "data: " + dir.resolve("data") + "\nmail: {location: \"" + location
                + "\", fsync: false}\nauth: {passwdFile: " + passwd + "}\n");
        return config;
    }

    @Test
    void rebuildsTheMailboxesWhereTheUsersOwnMailFieldPutsThem() throws Exception {
        var elsewhere = dir.resolve("mail/elsewhere/carl");
        new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(elsewhere).create("Lists");
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(List.of("index", "--config", config("maildir:" + dir.resolve("mail") + "/%u").toString(),
                "carl"), new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("carl/Lists: 0 messages"), out.toString());
        assertTrue(Files.exists(elsewhere.resolve(".Lists/roost.index")), "the index is written at his location");
        assertFalse(Files.exists(dir.resolve("mail/carl")), "not at mail.location");
    }

    /** {@code roost index --fts USER}: the full-text index of every mailbox, rebuilt even when damaged. */
    @Test
    void rebuildsTheFullTextIndexOfAUser() throws Exception {
        var location = "maildir:" + dir.resolve("mail") + "/%u";
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse(location),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 20));
        cache.mailboxes("ann").create("Archive");
        for (var box : List.of("INBOX", "Archive")) {
            cache.open("ann", box).append(new ByteArrayInputStream("Subject: invoice\r\n\r\nx\r\n"
                    .getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(), Instant.parse("2024-03-01T00:00:00Z"));
        }
        var ftsDirectory = Files.createDirectories(dir.resolve("data/fts/ann"));
        Files.write(ftsDirectory.resolve("segments_1"), new byte[100]); // damaged
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(List.of("index", "--config", config(location).toString(), "--fts", "ann"),
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("rebuilt the full-text index of ann: 2 messages"), out.toString());
        assertFalse(Files.exists(ftsDirectory.resolve("segments_1")), "the damaged index is gone");
        assertEquals(Main.EXIT_USAGE, Main.run(List.of("index", "--fts", "ann", "INBOX"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void usageErrorWithoutAUser() {
        var err = new ByteArrayOutputStream();
        assertEquals(Main.EXIT_USAGE, Main.run(List.of("index"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true)));
        assertTrue(err.toString().contains("usage: roost index"));
    }
}
