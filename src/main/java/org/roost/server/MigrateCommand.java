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
import org.roost.storage.StorageDriver;
import org.roost.storage.postgres.PostgresDriver;
import org.roost.storage.postgres.PostgresImport;

/**
 * {@code roost migrate [--config FILE] --from LOCATION [--verify] USER...}: copies users' mail from a Maildir or
 * mbox location ({@code maildir:/srv/mail/%u}, as {@code mail.location} names one) into the database store of
 * {@code mail.location}, keeping each mailbox's UIDVALIDITY and each message's UID, flags, keywords and internal
 * date, so that clients keep their caches. Run again after an interruption, it copies what is missing. With
 * {@code --verify} it copies nothing and compares both sides instead (exit 1 on a difference).
 */
final class MigrateCommand {
    private static final String USAGE = "usage: roost migrate [--config FILE] --from LOCATION [--verify] USER...";
    private static final int MAX_DIFFERENCES = 50;

    private record Arguments(Path config, String from, boolean verify, List<String> users) {}

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
            var source = StorageDrivers.forLocation(config.mail(), arguments.from());
            try (var database = PostgresDriver.open(location, config.mail(), config.data())) {
                boolean same = true;
                for (var user : arguments.users()) {
                    same &= migrate(user, source, database, arguments.verify(), out);
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
        String from = null;
        boolean verify = false;
        var users = new ArrayList<String>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--config" -> config = i + 1 < args.size() ? Path.of(args.get(++i)) : null;
                case "--from" -> from = i + 1 < args.size() ? args.get(++i) : null;
                case "--verify" -> verify = true;
                default -> {
                    if (args.get(i).startsWith("-")) {
                        return null;
                    }
                    users.add(args.get(i));
                }
            }
        }
        return from == null || users.isEmpty() ? null : new Arguments(config, from, verify, users);
    }

    /** Copies (or with {@code verify} compares) one user's mail; returns whether it went through with no difference. */
    private static boolean migrate(String user, StorageDriver source, PostgresDriver database, boolean verify,
            PrintStream out) throws IOException {
        var from = source.open(source.locate(user));
        var importer = database.importer(user);
        if (verify) {
            var result = MailComparison.compare(from, importer.target(), MAX_DIFFERENCES);
            result.differences().forEach(d -> out.println(user + ": " + d));
            out.println(user + ": " + result.messages() + " messages compared, " + (result.differences().isEmpty()
                    ? "both sides are the same" : result.differences().size() + " differences"));
            return result.differences().isEmpty();
        }
        return copy(user, from, importer, out);
    }

    private static boolean copy(String user, MailStore from, PostgresImport importer, PrintStream out)
            throws IOException {
        var to = importer.target();
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
            long copied = importer.copyMailbox(from.mailbox(name), target);
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
