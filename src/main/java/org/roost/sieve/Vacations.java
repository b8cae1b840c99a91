package org.roost.sieve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a {@code vacation} command answers this message (RFC 5230 §4.5-4.6 and RFC 3834 §2): never to the null
 * sender, mailing lists or bulk mail, other automatic mail, list software's addresses, the user's own addresses, nor
 * to mail that does not name the user in To, Cc or Bcc. The once-per-{@code :days} rule is kept when the reply is
 * sent ({@link ResponseLog}).
 */
final class Vacations {
    private static final List<String> LIST_FIELDS = List.of("list-id", "list-help", "list-subscribe",
            "list-unsubscribe", "list-post", "list-owner", "list-archive");
    private static final Set<String> BULK_PRECEDENCE = Set.of("bulk", "list", "junk");
    private static final List<String> RECIPIENT_FIELDS = List.of("to", "cc", "bcc", "resent-to", "resent-cc",
            "resent-bcc");

    private Vacations() {}

    static Optional<Action.Vacation> decide(Run run, Node command, Interpreter interpreter) {
        var sender = run.envelope.sender();
        var own = ownAddresses(run, command, interpreter);
        if (sender.isEmpty() || automaticSender(sender) || own.contains(sender.toLowerCase(Locale.ROOT))
                || automatic(run.message) || !addressed(run.message, own)) {
            return Optional.empty();
        }
        var reason = interpreter.string(command, 0);
        var subject = command.tagString("subject").map(interpreter::expand)
                .orElseGet(() -> "Auto: " + run.message.header("subject").stream().findFirst().orElse(""));
        var from = command.tagString("from").map(interpreter::expand).orElse(run.envelope.recipient());
        boolean mime = command.has("mime");
        var handle = command.tagString("handle").map(interpreter::expand)
                .orElseGet(() -> digest(reason + "\0" + subject + "\0" + from + "\0" + mime));
        long days = Math.max(1, Math.min(command.tagNumber("days").orElse((long) run.limits.vacationDays()),
                run.limits.vacationMaxDays()));
        var messageId = run.message.raw("message-id").stream().findFirst().map(String::strip).orElse(null);
        var references = new ArrayList<String>();
        run.message.raw("references").stream().findFirst().ifPresent(r -> references.add(r.strip()));
        return Optional.of(new Action.Vacation(sender, from, subject, reason, mime, handle, days * 86_400,
                messageId, references));
    }

    private static Set<String> ownAddresses(Run run, Node command, Interpreter interpreter) {
        var own = new HashSet<String>();
        own.add(run.envelope.recipient().toLowerCase(Locale.ROOT));
        var user = AddressPart.USER.of(run.envelope.recipient(), run.envelope.recipientDelimiter());
        int at = run.envelope.recipient().lastIndexOf('@');
        user.ifPresent(u -> own.add((u + (at < 0 ? "" : run.envelope.recipient().substring(at)))
                .toLowerCase(Locale.ROOT)));
        for (var address : interpreter.expand(command.tagStrings("addresses"))) {
            SieveMessage.addresses(address).forEach(a -> own.add(a.toLowerCase(Locale.ROOT)));
        }
        return own;
    }

    /** RFC 3834 §2: addresses of list software and mailer daemons. */
    private static boolean automaticSender(String sender) {
        var local = sender.substring(0, Math.max(0, sender.lastIndexOf('@'))).toLowerCase(Locale.ROOT);
        return local.equals("mailer-daemon") || local.equals("listserv") || local.equals("majordomo")
                || local.startsWith("owner-") || local.endsWith("-request") || local.endsWith("-owner");
    }

    private static boolean automatic(SieveMessage message) {
        for (var value : message.header("auto-submitted")) {
            if (!value.toLowerCase(Locale.ROOT).startsWith("no")) {
                return true;
            }
        }
        for (var value : message.header("precedence")) {
            if (BULK_PRECEDENCE.contains(value.toLowerCase(Locale.ROOT).strip())) {
                return true;
            }
        }
        for (var value : message.header("x-auto-response-suppress")) {
            var lower = value.toLowerCase(Locale.ROOT);
            if (lower.contains("all") || lower.contains("oof")) {
                return true;
            }
        }
        return LIST_FIELDS.stream().anyMatch(field -> !message.raw(field).isEmpty());
    }

    /** RFC 5230 §4.5: one of the user's addresses is a recipient in the header. */
    private static boolean addressed(SieveMessage message, Set<String> own) {
        for (var field : RECIPIENT_FIELDS) {
            for (var raw : message.raw(field)) {
                for (var address : SieveMessage.addresses(raw)) {
                    if (own.contains(address.toLowerCase(Locale.ROOT))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static String digest(String text) {
        try {
            var hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
