package org.roost.lmtp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.roost.delivery.MailDelivery;
import org.roost.metrics.RoostMetrics;
import org.roost.net.SessionRegistry;

/**
 * What every LMTP session of the server shares. {@code maxLineLength} bounds command lines,
 * {@code maxMessageSize} messages (SIZE), {@code maxRecipients} one transaction; {@code timeout} is the
 * silence allowed; {@code fullTempfail} answers over-quota recipients with 452 4.2.2 instead of 552 5.2.2;
 * {@code spool} holds messages too large for memory while they are delivered.
 */
public record LmtpContext(
        String hostname,
        int maxLineLength,
        long maxMessageSize,
        int maxRecipients,
        Duration timeout,
        boolean fullTempfail,
        Path spool,
        Supplier<SSLContext> tls,
        MailDelivery delivery,
        RoostMetrics metrics,
        SessionRegistry sessions) {}
