package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNames;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.postgres.PostgresDriver;

/**
 * {@code roost migrate [--config FILE] (--from|--to) LOCATION [--verify] USER...}: copies users' mail from a Maildir
 * or mbox location ({@code maildir:/srv/mail/%u}, as {@code mail.location} names one) into the database store of
 * {@code mail.location}, or with {@code --to} from it out to a Maildir location, keeping each mailbox's UIDVALIDITY
 * and each message's UID, flags, keywords and internal date (and into the database its save date), so that clients
 * keep their caches. Run again after
 * an interruption, it copies what is missing. With {@code --verify} it copies nothing and compares both sides
 * instead (exit 1 on a difference).
 */
final class MigrateCommand {
    private static final String USAGE =
            "usage: roost migrate [--config FILE] (--from|--to) LOCATION [--verify] USER...";
    private static final int MAX_DIFFERENCES = 50;

    /** {@code outside}: the Maildir or mbox location; {@code out}: whether the mail goes there (--to). */
    private record Arguments(Path config, String outside, boolean out, boolean verify, List<String> users) {}

    private MigrateCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        var arguments = parse(args);
        if (arguments == null) {
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        try {
            var config = new ConfigLoader().load(arguments.config(), System.getenv());
            var location = MailLocation.parse(config.mail().location());
            if (!location.format().equals("postgres")) {
                err.println("roost migrate: mail.location is not a postgres: location, so there is nothing to migrate to");
                return Main.EXIT_USAGE;
            }
            var outside = StorageDrivers.forLocation(config.mail(), arguments.outside());
            if (arguments.out() && !MailLocation.parse(arguments.outside()).format().equals("maildir")) {
                err.println("roost migrate: --to takes a maildir: location");
                return Main.EXIT_USAGE;
            }
            try (var database = PostgresDriver.open(location, config.mail(), config.data())) {
                boolean same = true;
                for (var user : arguments.users()) {
                    var outsideStore = outside.open(outside.locate(user));
                    var databaseStore = database.open(database.locate(user));
                    same &= arguments.out() ? migrate(user, databaseStore, outsideStore, arguments, out)
                            : migrate(user, outsideStore, databaseStore, arguments, out);
                }
                return same ? 0 : Main.EXIT_FAILURE;
            }
        } catch (ConfigException e) {
            err.println("roost: configuration error:\n  " + e.getMessage().replace("\n", "\n  "));
            return Main.EXIT_USAGE;
        } catch (IOException | IllegalArgumentException e) {
            err.println("roost migrate: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    private static Arguments parse(List<String> args) {
        Path config = null;
        String outside = null;
        boolean out = false;
        boolean verify = false;
        var users = new ArrayList<String>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--config" -> config = i + 1 < args.size() ? Path.of(args.get(++i)) : null;
                case "--from", "--to" -> {
                    if (outside != null || i + 1 == args.size()) {
                        return null;
                    }
                    out = args.get(i).equals("--to");
                    outside = args.get(++i);
                }
                case "--verify" -> verify = true;
                default -> {
                    if (args.get(i).startsWith("-")) {
                        return null;
                    }
                    users.add(args.get(i));
                }
            }
        }
        return outside == null || users.isEmpty() ? null : new Arguments(config, outside, out, verify, users);
    }

    /** Copies (or with {@code verify} compares) one user's mail; returns whether it went through with no difference. */
    private static boolean migrate(String user, MailStore from, MailStore to, Arguments arguments, PrintStream out)
            throws IOException {
        if (arguments.verify()) {
            // a Maildir dates the messages it is given as it writes them; the database keeps the save dates given
            var result = MailComparison.compare(from, to, !arguments.out(), MAX_DIFFERENCES);
            result.differences().forEach(d -> out.println(user + ": " + d));
            out.println(user + ": " + result.messages() + " messages compared, " + (result.differences().isEmpty()
                    ? "both sides are the same" : result.differences().size() + " differences"));
            return result.differences().isEmpty();
        }
        boolean complete = true;
        var mailboxes = from.list().stream().filter(MailboxInfo::selectable).map(MailboxInfo::name)
                .sorted(Comparator.comparing((String name) -> !name.equals(MailboxNames.INBOX))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        for (var name : mailboxes) {
            var target = MailComparison.rename(name, from.delimiter(), to.delimiter());
            if (target == null) {
                out.println(user + ": " + name + ": not copied, its name holds '" + to.delimiter() + "'");
                complete = false;
                continue;
            }
            long copied = MailCopy.copy(from.mailbox(name), to, target);
            out.println(user + ": " + target + ": " + copied + " messages copied");
        }
        for (var name : from.subscriptions()) {
            var target = MailComparison.rename(name, from.delimiter(), to.delimiter());
            if (target != null) {
                to.subscribe(target);
            }
        }
        for (var entry : from.specialUses().entrySet()) {
            var target = MailComparison.rename(entry.getKey(), from.delimiter(), to.delimiter());
            if (target != null) {
                to.setSpecialUses(target, entry.getValue());
            }
        }
        return complete;
    }
}
