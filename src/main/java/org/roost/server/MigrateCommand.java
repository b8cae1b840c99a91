package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.index.Annotations;
import org.roost.index.StoredAnnotations;
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
 * keep their caches; annotations (RFC 5464 METADATA) go along. Run again after an interruption, it copies what is
 * missing. With {@code --verify} it copies nothing and compares both sides
 * instead (exit 1 on a difference).
 */
final class MigrateCommand {
    private static final String USAGE =
            "usage: roost migrate [--config FILE] (--from|--to) LOCATION [--verify] USER...";
    private static final int MAX_DIFFERENCES = 50;

    /** {@code outside}: the Maildir or mbox location; {@code out}: whether the mail goes there (--to). */
    private record Arguments(Path config, String outside, boolean out, boolean verify, List<String> users) {}

    /** How annotations (RFC 5464) are read and written: the {@code metadata.*} bounds, and whether to fsync. */
    private record AnnotationSettings(Annotations.Limits limits, boolean fsync) {}

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
            var annotations = new AnnotationSettings(new Annotations.Limits(config.metadata().maxEntries(),
                    config.metadata().maxValueSize(), config.metadata().maxEntryNameLength()), config.mail().fsync());
            try (var database = PostgresDriver.open(location, config.mail(), config.data())) {
                boolean same = true;
                for (var user : arguments.users()) {
                    var outsideStore = outside.open(outside.locate(user));
                    var databaseStore = database.open(database.locate(user));
                    same &= arguments.out() ? migrate(user, databaseStore, outsideStore, arguments, annotations, out)
                            : migrate(user, outsideStore, databaseStore, arguments, annotations, out);
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
    private static boolean migrate(String user, MailStore from, MailStore to, Arguments arguments,
            AnnotationSettings annotations, PrintStream out) throws IOException {
        if (arguments.verify()) {
            // a Maildir dates the messages it is given as it writes them; the database keeps the save dates given
            var result = MailComparison.compare(from, to, !arguments.out(), MAX_DIFFERENCES);
            var differences = new ArrayList<>(result.differences());
            differences.addAll(annotationDifferences(from, to, annotations));
            differences.forEach(d -> out.println(user + ": " + d));
            out.println(user + ": " + result.messages() + " messages compared, " + (differences.isEmpty()
                    ? "both sides are the same" : differences.size() + " differences"));
            return differences.isEmpty();
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
        copyAnnotations(from, to, annotations);
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

    /** The server's entries and each selectable mailbox's that has a name on the other side, with that name. */
    private static Map<String, String> annotated(MailStore from, MailStore to) throws IOException {
        var names = new LinkedHashMap<String, String>();
        names.put(Annotations.SERVER, Annotations.SERVER);
        for (var info : from.list()) {
            var target = MailComparison.rename(info.name(), from.delimiter(), to.delimiter());
            if (info.selectable() && target != null) {
                names.put(info.name(), target);
            }
        }
        return names;
    }

    /** Adds each mailbox's annotations (RFC 5464) to its copy's: run again, it writes the same again. */
    private static void copyAnnotations(MailStore from, MailStore to, AnnotationSettings settings) throws IOException {
        for (var names : annotated(from, to).entrySet()) {
            StoredAnnotations.add(to, names.getValue(), StoredAnnotations.read(from, names.getKey(), settings.limits()),
                    settings.limits(), settings.fsync());
        }
    }

    /** The mailboxes whose annotations differ from their copy's. */
    private static List<String> annotationDifferences(MailStore from, MailStore to, AnnotationSettings settings)
            throws IOException {
        var differences = new ArrayList<String>();
        for (var names : annotated(from, to).entrySet()) {
            if (!names.getValue().equals(Annotations.SERVER) && !to.exists(names.getValue())) {
                continue; // told as a missing mailbox already
            }
            var here = StoredAnnotations.read(from, names.getKey(), settings.limits());
            var there = StoredAnnotations.read(to, names.getValue(), settings.limits());
            boolean same = here.size() == there.size() && here.entrySet().stream()
                    .allMatch(e -> Arrays.equals(e.getValue(), there.get(e.getKey())));
            if (!same) {
                differences.add((names.getKey().isEmpty() ? "the server" : names.getKey()) + ": annotations differ");
            }
        }
        return differences;
    }
}
