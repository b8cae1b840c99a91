package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.storage.MailLocation;
import org.roost.storage.postgres.PostgresDriver;

/**
 * {@code roost db migrate [--config FILE]}: brings the schema of the mail database ({@code mail.postgres}) to the
 * version this build needs, before a rolling upgrade or where replicas start with
 * {@code mail.postgres.migrateAtStart: false}. Running it twice does nothing the second time.
 */
final class DbCommand {
    private static final String USAGE = "usage: roost db migrate [--config FILE]";

    private DbCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path configFile = null;
        if (args.isEmpty() || !args.getFirst().equals("migrate")) {
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                configFile = Path.of(args.get(++i));
            } else {
                err.println(USAGE);
                return Main.EXIT_USAGE;
            }
        }
        try {
            var config = new ConfigLoader().load(configFile, System.getenv());
            if (!MailLocation.parse(config.mail().location()).format().equals("postgres")) {
                err.println("roost db migrate: mail.location is not a postgres: location, so there is no mail database");
                return Main.EXIT_USAGE;
            }
            PostgresDriver.migrate(config.mail().postgres());
            out.println("roost: the mail database is at the newest schema version");
            return 0;
        } catch (ConfigException e) {
            err.println("roost: configuration error:\n  " + e.getMessage().replace("\n", "\n  "));
            return Main.EXIT_USAGE;
        } catch (IOException e) {
            err.println("roost db migrate: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
