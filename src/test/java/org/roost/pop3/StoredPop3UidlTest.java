package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 item 3: a Maildir that Dovecot served over POP3 keeps each message's POP3 UIDL in the
 * {@code P} field of dovecot-uidlist; Roost answers exactly those, and the configured format for
 * messages without a usable one, so a migrated client downloads nothing twice.
 */
class StoredPop3UidlTest {
    private static final long UID_VALIDITY = 1_700_000_000L;
    private static final String TOO_LONG = "x".repeat(71);

    @TempDir
    Path dir;

    @Test
    void uidlAnswersStoredValuesAndTheFormatForTheRest() throws Exception {
        try (var server = Pop3Users.server(dir)) {
            writeMigratedMaildir(server.maildir("alice"));
            try (var c = new Pop3TestClient(server.pop3Port())) {
                c.login("alice", "secret");
                assertTrue(c.command("UIDL").startsWith("+OK"));
                assertEquals("1 0000002a4f1b2c3d\r\n"
                        + "2 " + defaultFormat(2) + "\r\n"
                        + "3 UID3-acct@pop.example\r\n"
                        + "4 " + defaultFormat(4) + "\r\n"
                        + ".\r\n", new String(c.multiline(), StandardCharsets.US_ASCII));
                assertEquals("+OK 3 UID3-acct@pop.example", c.command("UIDL 3"));
                assertEquals("+OK 2 " + defaultFormat(2), c.command("UIDL 2"));
                assertTrue(c.command("LIST").startsWith("+OK"));
                assertEquals("1 8\r\n2 8\r\n3 8\r\n4 8\r\n.\r\n", new String(c.multiline(), StandardCharsets.US_ASCII));
                c.command("QUIT");
            }
        }
    }

    @Test
    void storedUidlsSurviveADeletionThatRewritesTheUidList() throws Exception {
        try (var server = Pop3Users.server(dir)) {
            writeMigratedMaildir(server.maildir("alice"));
            try (var c = new Pop3TestClient(server.pop3Port())) {
                c.login("alice", "secret");
                assertTrue(c.command("DELE 2").startsWith("+OK"));
                c.command("QUIT");
            }
            try (var c = new Pop3TestClient(server.pop3Port())) {
                c.login("alice", "secret");
                assertEquals("+OK 1 0000002a4f1b2c3d", c.command("UIDL 1"));
                assertEquals("+OK 2 UID3-acct@pop.example", c.command("UIDL 2"));
                c.command("QUIT");
            }
        }
    }

    @Test
    void rfc1939Section7LimitsWhatMayBeReused() {
        assertTrue(Maildrop.isValidUidl("a".repeat(70)));
        assertFalse(Maildrop.isValidUidl(TOO_LONG));
        assertFalse(Maildrop.isValidUidl(""));
        assertFalse(Maildrop.isValidUidl("has space"));
        assertFalse(Maildrop.isValidUidl("ctl\u007f"));
    }

    /** Dovecot's default pop3_uidl_format %08Xu%08Xv. */
    private static String defaultFormat(long uid) {
        return "%08x%08x".formatted(uid, UID_VALIDITY);
    }

    /** Four messages as Dovecot left them: 1 and 3 with a P field, 2 without, 4 with one POP3 cannot send. */
    static void writeMigratedMaildir(Path maildir) throws Exception {
        for (int i = 1; i <= 4; i++) {
            Files.writeString(maildir.resolve("cur").resolve(name(i) + ":2,S"), "Body " + i + "\n", StandardCharsets.US_ASCII);
        }
        Files.writeString(maildir.resolve("dovecot-uidlist"), "3 V" + UID_VALIDITY + " N5 G0123456789abcdef0123456789abcdef\n"
                + "1 P0000002a4f1b2c3d W8 :" + name(1) + "\n"
                + "2 W8 :" + name(2) + "\n"
                + "3 PUID3-acct@pop.example :" + name(3) + "\n"
                + "4 P" + TOO_LONG + " :" + name(4) + "\n", StandardCharsets.US_ASCII);
    }

    private static String name(int i) {
        return (1_600_000_000 + i) + ".M" + i + "P42.oldhost";
    }
}
