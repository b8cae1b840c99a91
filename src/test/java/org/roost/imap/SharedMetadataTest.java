package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.RawImapClient;

/**
 * METADATA on another user's mailbox (#19 item 3, RFC 5464 §3.3): with {@code l} and one of {@code r s w i p} a user
 * reads and sets its {@code /shared} entries, which are the mailbox's (the owner's and every other user's), and
 * {@code /private} entries of their own, which nobody else sees (Dovecot keeps them in the dict of whoever's home it
 * expands, which for a shared mailbox can be the owner's); without those rights, NO.
 */
@Timeout(60)
class SharedMetadataTest extends SharingUsers {

    SharedMetadataTest() throws IOException {
        super("Subject: metadata\r\n\r\nbody\r\n");
    }

    private static String get(RawImapClient client, String mailbox) throws IOException {
        return client.expectOk("GETMETADATA " + mailbox + " (/shared/comment /private/comment)").untagged().getFirst();
    }

    @Test
    void sharedEntriesAreTheMailboxsAndPrivateOnesEachUsersOwn() throws IOException {
        var third = server.newUser();
        try (var owning = server.login(owner); var reading = server.login(other); var stranger = server.login(third)) {
            owning.expectOk("SETACL INBOX " + other + " lr");
            owning.expectOk("SETMETADATA INBOX (/shared/comment \"team\" /private/comment \"owner's\")");
            assertEquals("* METADATA \"" + shared("INBOX") + "\" (/shared/comment \"team\" /private/comment NIL)",
                    get(reading, shared("INBOX")));
            reading.expectOk("SETMETADATA " + shared("INBOX") + " (/private/comment \"mine\" /shared/comment \"ours\")");
            assertEquals("* METADATA \"" + shared("INBOX") + "\" (/shared/comment \"ours\" /private/comment \"mine\")",
                    get(reading, shared("INBOX")));
            assertEquals("* METADATA \"INBOX\" (/shared/comment \"ours\" /private/comment \"owner's\")", get(owning, "INBOX"));

            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.",
                    stranger.tagged("t", "GETMETADATA " + shared("INBOX") + " (/shared/comment)"), "RFC 4314 §6: no l");
            owning.expectOk("SETACL INBOX " + third + " l");
            assertEquals("t NO [NOPERM] Permission denied.",
                    stranger.tagged("t", "SETMETADATA " + shared("INBOX") + " (/private/comment \"x\")"),
                    "RFC 5464 §3.3: l alone is not enough");
        }
    }

    @Test
    void notifyTellsTheOwnersSharedEntriesToWhoMayReadThem() throws IOException {
        var third = server.newUser();
        try (var owning = server.login(owner); var reading = server.login(other); var stranger = server.login(third)) {
            owning.expectOk("SETACL INBOX " + other + " lr");
            owning.expectOk("SETACL INBOX " + third + " l");
            for (var client : java.util.List.of(reading, stranger)) {
                client.expectOk("NOTIFY SET (SUBTREE Shared (MailboxMetadataChange))");
            }
            owning.expectOk("SETMETADATA INBOX (/private/comment \"owner's\")");
            owning.expectOk("SETMETADATA \"\" (/private/vendor/x/y \"server\")");
            owning.expectOk("SETMETADATA INBOX (/shared/comment \"team\")");
            // RFC 5465 §5.6: the names that changed; the owner's private and server entries are not the user's
            assertEquals("* METADATA \"" + shared("INBOX") + "\" /shared/comment", reading.readLine());
            assertEquals(java.util.List.of(), stranger.expectOk("NOOP").untagged(), "RFC 5464 §3.3: l alone reads none");
        }
    }

    @Test
    void aUsersPrivateEntriesFollowTheOwnersRename() throws IOException {
        try (var owning = server.login(owner); var reading = server.login(other)) {
            owning.expectOk("CREATE Team");
            owning.expectOk("SETACL Team " + other + " lr");
            reading.expectOk("SETMETADATA " + shared("Team") + " (/private/comment \"mine\")");
            owning.expectOk("RENAME Team Crew");
            assertEquals("* METADATA \"" + shared("Crew") + "\" (/shared/comment NIL /private/comment \"mine\")",
                    get(reading, shared("Crew")));
        }
    }
}
