package org.roost.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.InstantSource;
import org.roost.auth.DatabaseEvents;
import org.roost.auth.PasswordDatabase;
import org.roost.auth.setup.UserDirectory;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.config.RoostConfig;
import org.roost.delivery.DeliveryHeaders;
import org.roost.delivery.MailAddress;
import org.roost.delivery.MailDelivery;
import org.roost.delivery.MessageSpool;
import org.roost.delivery.QuotaNotices;
import org.roost.index.Quotas;
import org.roost.sieve.SieveEvents;

/**
 * {@code roost deliver [--config FILE] -d USER [-f SENDER] [-m MAILBOX] [-a ADDRESS]}: what {@code dovecot-lda}
 * is for an MTA's {@code mailbox_command}, procmail or fetchmail's {@code mda}. The message comes on standard
 * input (an mbox {@code From } line first is dropped; line ends are kept as they come), goes to USER's MAILBOX
 * (INBOX when it does not exist, unless {@code delivery.autocreateMailbox}), and is durable before the exit.
 * It writes into the store under the store's own locks while the server runs, which sees the message at once.
 *
 * <p>Exit codes are sysexits(3), as MTAs read them: 0 delivered; 64 a bad command line; 65 the message is
 * larger than {@code delivery.maxMessageSize}; 67 no such user; 75 try again later (the store or the user
 * database failed, the configuration cannot be read, or the user is over quota with
 * {@code quota.fullTempfail}); 77 over quota or refused by the user's Sieve script ({@code reject},
 * {@code ereject}): refused for good, the reason on standard error, as {@code dovecot-lda -e} does ({@code -e} is
 * accepted and changes nothing). The user's Sieve scripts run as for LMTP, with {@code -f} as the envelope sender.
 */
final class DeliverCommand {
    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_NOUSER = 67;
    static final int EX_TEMPFAIL = 75;
    static final int EX_NOPERM = 77;
    private static final String USAGE =
            "usage: roost deliver [--config FILE] -d USER [-f SENDER] [-m MAILBOX] [-a ADDRESS] < message";

    private DeliverCommand() {}

    /** The command line, parsed. */
    private record Arguments(Path config, String user, String sender, String mailbox, String address) {}

    static int run(List<String> args, InputStream in, PrintStream err) {
        Arguments arguments;
        try {
            arguments = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("roost deliver: " + e.getMessage());
            err.println(USAGE);
            return EX_USAGE;
        }
        RoostConfig config;
        try {
            config = new ConfigLoader().load(arguments.config(), System.getenv());
        } catch (ConfigException e) {
            err.println("roost deliver: configuration error: " + e.getMessage().replace("\n", "; "));
            return EX_TEMPFAIL;
        }
        try (var spool = new MessageSpool(config.data().resolve("tmp"))) {
            return receiveAndDeliver(config, arguments, in, spool, err);
        } catch (IOException | RuntimeException e) {
            err.println("roost deliver: temporary failure: " + e.getMessage());
            return EX_TEMPFAIL;
        }
    }

    private static Arguments parse(List<String> args) {
        Path config = null;
        String user = null;
        String sender = null;
        String mailbox = null;
        String address = null;
        for (int i = 0; i < args.size(); i++) {
            var option = args.get(i);
            if (option.equals("-e")) {
                continue;
            }
            if (i + 1 == args.size()) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            var value = args.get(++i);
            switch (option) {
                case "--config", "-c" -> config = Path.of(value);
                case "-d" -> user = value;
                case "-f" -> sender = value;
                case "-m" -> mailbox = value;
                case "-a" -> address = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("-d USER is required");
        }
        return new Arguments(config, user, sender, mailbox, address);
    }

    private static int receiveAndDeliver(RoostConfig config, Arguments arguments, InputStream in,
            MessageSpool spool, PrintStream err) throws IOException {
        var newline = MboxInput.copy(in, spool, config.delivery().maxMessageSize());
        if (spool.size() > config.delivery().maxMessageSize()) {
            err.println("roost deliver: message larger than delivery.maxMessageSize ("
                    + config.delivery().maxMessageSize() + " bytes)");
            return EX_DATAERR;
        }
        try (var directory = UserDirectory.open(config.auth(), DatabaseEvents.NONE, InstantSource.system())) {
            return deliver(config, arguments, directory.chain(), spool, newline, err);
        }
    }

    private static int deliver(RoostConfig config, Arguments arguments, PasswordDatabase users, MessageSpool spool,
            String newline, PrintStream err) throws IOException {
        var warnings = new ArrayList<Quotas.Warning>();
        var driver = StorageDrivers.forUsers(config.mail(), config.data(), users);
        var mailboxes = new StoreMailboxes(driver, new UserQuotaPolicy(users, config.quota()),
                config.quota().warnings(), warnings::add);
        var delivery = new MailDelivery(UserQuotaPolicy.knownUsers(users, "lda"), mailboxes, mailboxes.quotas(),
                MailDelivery.Options.of(config.delivery()), SieveSetup.filter(config, users, SieveEvents.NONE));
        var recipient = address(arguments.address());
        var resolution = delivery.resolveUser(arguments.user(), recipient, arguments.mailbox());
        int code = switch (resolution) {
            case MailDelivery.Resolution.Unknown u -> {
                err.println("roost deliver: no such user: " + arguments.user());
                yield EX_NOUSER;
            }
            case MailDelivery.Resolution.Unavailable u -> {
                err.println("roost deliver: user lookup failed: " + u.reason());
                yield EX_TEMPFAIL;
            }
            case MailDelivery.Resolution.Found f -> {
                var sender = arguments.sender();
                boolean nullSender = sender != null && (sender.isEmpty() || sender.equals("<>"));
                var headers = DeliveryHeaders.local(nullSender ? null : address(sender), nullSender, recipient,
                        newline);
                var outcome = delivery.begin(spool, headers, Instant.now(), nullSender ? null : address(sender))
                        .deliver(f.recipient());
                yield exitCode(outcome, config.quota().fullTempfail(), err);
            }
        };
        var notices = new QuotaNotices(mailboxes, config.quota().warningFrom(), config.delivery().hostname());
        warnings.forEach(notices::crossed);
        return code;
    }

    private static int exitCode(MailDelivery.Outcome outcome, boolean fullTempfail, PrintStream err) {
        return switch (outcome) {
            case MailDelivery.Outcome.Delivered d -> 0;
            case MailDelivery.Outcome.Filtered d -> 0;
            case MailDelivery.Outcome.Rejected r -> {
                err.println(r.reason());
                yield EX_NOPERM;
            }
            case MailDelivery.Outcome.OverQuota o -> {
                err.println(Quotas.EXCEEDED);
                yield fullTempfail ? EX_TEMPFAIL : EX_NOPERM;
            }
            case MailDelivery.Outcome.Failed f -> {
                err.println("roost deliver: temporary failure in the mail store: " + f.reason());
                yield EX_TEMPFAIL;
            }
        };
    }

    /** An address given on the command line ({@code <a@b>} or {@code a@b}); null when absent or malformed. */
    private static MailAddress address(String text) {
        if (text == null) {
            return null;
        }
        var bare = text.startsWith("<") && text.endsWith(">") ? text.substring(1, text.length() - 1) : text;
        try {
            return MailAddress.parse(bare);
        } catch (MailAddress.Malformed e) {
            return null;
        }
    }
}
