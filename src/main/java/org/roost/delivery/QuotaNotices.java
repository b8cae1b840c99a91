package org.roost.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import org.roost.index.Quotas;

/**
 * Quota warnings as messages in the user's INBOX, one per upward crossing of a threshold (Dovecot runs a
 * script for its {@code quota_warning}; the message is what such scripts send). Marked
 * {@code Auto-Submitted: auto-generated} (RFC 3834) so that no vacation responder answers it.
 */
public final class QuotaNotices implements Quotas.Warnings {
    private static final System.Logger LOG = System.getLogger(QuotaNotices.class.getName());
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final MailboxAccess mailboxes;
    private final String from;
    private final String hostname;

    public QuotaNotices(MailboxAccess mailboxes, String from, String hostname) {
        this.mailboxes = mailboxes;
        this.from = from;
        this.hostname = hostname;
    }

    @Override
    public void crossed(Quotas.Warning warning) {
        var now = ZonedDateTime.now();
        try {
            mailboxes.appendNotice(warning.user(), new ByteArrayInputStream(message(warning, now)), now.toInstant());
            LOG.log(Level.INFO, "{0}: quota warning sent ({1} at {2}%)", warning.user(), warning.resource(),
                    warning.percent());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "{0}: cannot deliver a quota warning: {1}", warning.user(), e.getMessage());
        }
    }

    byte[] message(Quotas.Warning warning, ZonedDateTime now) {
        boolean storage = warning.resource().equals("storage");
        var used = storage ? megabytes(warning.usage().storage()) : warning.usage().messages() + " messages";
        var limit = storage ? megabytes(warning.limit().storage()) : warning.limit().messages() + " messages";
        var text = "From: Mail Delivery System <" + from + ">\r\n"
                + "To: <" + warning.user().replaceAll("[^!-~]", "") + ">\r\n"
                + "Date: " + DATE.format(now) + "\r\n"
                + "Subject: Your mailbox is " + warning.percent() + "% full\r\n"
                + "Message-ID: <quota." + UUID.randomUUID() + "@" + hostname + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "Your mailbox has reached " + warning.percent() + "% of its " + (storage ? "size" : "message")
                + " limit: " + used + " of " + limit + " are used.\r\n"
                + "\r\n"
                + "When it is full, new mail is refused. Please delete messages you no longer need,\r\n"
                + "and empty the Trash folder.\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
