package org.roost.delivery;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The trace fields delivery puts above a message, as Dovecot does: {@code Return-Path:} with the envelope
 * sender (RFC 5321 §4.4), {@code Delivered-To:} with the recipient when there is only one (a field per
 * recipient would need a file per recipient), and, for LMTP, a {@code Received:} field (RFC 5321 §4.4,
 * protocol names of RFC 3848).
 */
public final class DeliveryHeaders {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    /** Where an LMTP message came from: the client's LHLO name and address, and whether TLS protected it. */
    public record Origin(String lhlo, String clientAddress, boolean tls, String hostname, String id) {}

    private DeliveryHeaders() {}

    /**
     * The fields for a message over LMTP from {@code sender} (null: the null address {@code <>}) to
     * {@code recipients}, received from {@code origin}, with CRLF line ends.
     */
    public static byte[] lmtp(MailAddress sender, List<MailAddress> recipients, Origin origin, ZonedDateTime now) {
        var out = new StringBuilder();
        returnPath(out, sender, "\r\n");
        deliveredTo(out, recipients, "\r\n");
        out.append("Received: from ").append(origin.lhlo()).append(" ([").append(origin.clientAddress())
                .append("])\r\n\tby ").append(origin.hostname()).append(" (Roost) with ")
                .append(origin.tls() ? "LMTPS" : "LMTP").append(" id ").append(origin.id());
        if (recipients.size() == 1) {
            out.append("\r\n\tfor <").append(recipients.getFirst()).append(">");
        }
        out.append("; ").append(DATE.format(now)).append("\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The fields for a message handed to {@code roost deliver}: {@code Return-Path:} when the sender is known
     * ({@code sender} null with {@code nullSender}: {@code <>}), {@code Delivered-To:} when a recipient was named,
     * with the line ends the message itself uses.
     */
    public static byte[] local(MailAddress sender, boolean nullSender, MailAddress recipient, String newline) {
        var out = new StringBuilder();
        if (sender != null || nullSender) {
            returnPath(out, sender, newline);
        }
        if (recipient != null) {
            deliveredTo(out, List.of(recipient), newline);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void returnPath(StringBuilder out, MailAddress sender, String newline) {
        out.append("Return-Path: <").append(sender == null ? "" : sender).append(">").append(newline);
    }

    private static void deliveredTo(StringBuilder out, List<MailAddress> recipients, String newline) {
        if (recipients.size() == 1) {
            out.append("Delivered-To: ").append(recipients.getFirst()).append(newline);
        }
    }
}
