package org.roost.imap.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.Quotas;
import org.roost.mail.OverQuotaException;
import org.roost.mail.StorageException;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** The answers to the quota's refusals (RFC 9208 §4.3.1, RFC 5530); other failures are the server's. */
class StorageFailuresTest {
    @TempDir
    Path dir;

    @Test
    void overQuotaIsOverquota() {
        assertEquals(Reply.no("OVERQUOTA", "Quota exceeded (mailbox for user is full)."),
                StorageFailures.answer(new OverQuotaException(Quotas.EXCEEDED)));
    }

    /** A user database that cannot answer GETQUOTA (or an APPEND's admission): try again, the session goes on. */
    @Test
    void quotaThatCannotBeReadIsUnavailable() {
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + dir + "/%u"),
                MaildirOptions.defaults().withFsync(false)), IndexOptions.defaults(),
                user -> {
                    throw new IOException("the user database does not answer");
                }, List.of());
        var failure = assertThrows(Quotas.QuotaUnavailable.class, () -> cache.mailboxes("alice").quota());
        assertEquals(Reply.no("UNAVAILABLE", "The quota cannot be checked now; try again later."),
                StorageFailures.answer(failure));
    }

    @Test
    void anyOtherRefusalIsLeftToTheSession() {
        assertNull(StorageFailures.answer(new StorageException("disk on fire")));
    }
}
