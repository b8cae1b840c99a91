package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.roost.admin.AdminOperations.AclAnswer;
import org.roost.auth.DatabaseEvents;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.setup.UserDirectory;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;

/**
 * {@code roost acl [--config FILE] get|set|delete|my|rights USER MAILBOX [...]}, like {@code doveadm acl}: reads and
 * changes the {@code dovecot-acl} files directly, so it works with the server stopped, and a running server's
 * sessions see a change at their next command (the files are checked with a {@code stat} at each). Exit codes as
 * doveadm's where it has one: 67 no such user, 68 no such mailbox; 2 for usage or an invalid name or right.
 */
final class AclTool {
    static final int EXIT_NO_USER = 67;
    static final int EXIT_NO_MAILBOX = 68;
    private static final String USAGE = """
            usage: roost acl [--config FILE] get USER MAILBOX             the mailbox's ACL (global entries with #)
                   roost acl [--config FILE] set USER MAILBOX ID RIGHTS   ID as in dovecot-acl (user=bob, group=staff,
                                                                          owner, anyone; -ID for negative rights);
                                                                          RIGHTS as SETACL (lrs, +w adds, -w removes)
                   roost acl [--config FILE] delete USER MAILBOX ID       remove the entry of ID (-ID: its negative rights)
                   roost acl [--config FILE] my USER MAILBOX              the user's own rights, like MYRIGHTS
                   roost acl [--config FILE] rights USER MAILBOX OTHER    the rights the user OTHER has there""";

    private AclTool() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path configFile = null;
        var words = new ArrayList<String>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                configFile = Path.of(args.get(++i));
            } else {
                words.add(args.get(i));
            }
        }
        if (words.isEmpty() || words.size() != arity(words.getFirst())) {
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        try {
            var config = new ConfigLoader().load(configFile, System.getenv());
            UserDirectory.check(config.auth());
            try (var users = UserDirectory.open(config.auth(), DatabaseEvents.NONE, InstantSource.system())) {
                var storage = StorageDrivers.forUsers(config.mail(), config.data(), users.chain());
                var cache = IndexCommand.offlineCache(config, storage);
                RoostServer.keepAcls(cache, storage, config);
                return report(ask(new AclAdministration(users.chain(), cache), words), out, err);
            }
        } catch (ConfigException e) {
            err.println("roost: configuration error:\n  " + e.getMessage().replace("\n", "\n  "));
            return Main.EXIT_USAGE;
        } catch (IOException | DatabaseUnavailable e) {
            err.println("roost acl: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    /** How many words the subcommand takes, itself included; 0 for no subcommand. */
    private static int arity(String subcommand) {
        return switch (subcommand) {
            case "get", "my" -> 3;
            case "delete", "rights" -> 4;
            case "set" -> 5;
            default -> 0;
        };
    }

    private static AclAnswer ask(AclAdministration acls, List<String> words) throws IOException {
        var user = words.get(1);
        var mailbox = words.get(2);
        return switch (words.getFirst()) {
            case "get" -> acls.acl(user, mailbox);
            case "set" -> acls.set(user, mailbox, words.get(3), words.get(4));
            case "delete" -> acls.delete(user, mailbox, words.get(3));
            case "my" -> acls.rights(user, mailbox, Optional.empty());
            case "rights" -> acls.rights(user, mailbox, Optional.of(words.get(3)));
            default -> throw new IllegalStateException("checked by arity");
        };
    }

    /** Entries as {@code ID RIGHTS} lines ({@code #} before a global one), rights as MYRIGHTS letters. */
    private static int report(AclAnswer answer, PrintStream out, PrintStream err) {
        switch (answer) {
            case AclAnswer.Entries entries -> entries.entries().forEach(
                    e -> out.println((e.global() ? "#" : "") + e.id() + " " + shown(e.rights())));
            case AclAnswer.Held held -> out.println(shown(held.rights()));
            case AclAnswer.NoSuchUser none -> {
                err.println("roost acl: no user " + none.name());
                return EXIT_NO_USER;
            }
            case AclAnswer.NoSuchMailbox none -> {
                err.println("roost acl: the user has no such mailbox");
                return EXIT_NO_MAILBOX;
            }
            case AclAnswer.Invalid invalid -> {
                err.println("roost acl: " + invalid.reason());
                return Main.EXIT_USAGE;
            }
            case AclAnswer.Off off -> {
                err.println("roost acl: this mail keeps no ACLs (acl.enabled: false, or no mailbox directories)");
                return Main.EXIT_FAILURE;
            }
        }
        return 0;
    }

    private static String shown(String letters) {
        return letters.isEmpty() ? "\"\"" : letters;
    }
}
