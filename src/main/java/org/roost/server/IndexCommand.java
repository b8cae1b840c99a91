package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.mail.MailboxNames;

/**
 * {@code roost index [--config FILE] USER [MAILBOX]}: rebuilds the index of one mailbox, or of
 * every mailbox of the user, from the mail files (like {@code doveadm force-resync}). UIDs come
 * from the Maildir's own {@code dovecot-uidlist}, so clients keep their caches.
 */
final class IndexCommand {
    private IndexCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path configFile = null;
        var positional = new ArrayList<String>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                configFile = Path.of(args.get(++i));
            } else {
                positional.add(args.get(i));
            }
        }
        if (positional.isEmpty() || positional.size() > 2) {
            err.println("usage: roost index [--config FILE] USER [MAILBOX]");
            return Main.EXIT_USAGE;
        }
        try {
            var config = new ConfigLoader().load(configFile, System.getenv());
            var cache = new IndexCache(StorageDrivers.forLocation(config.mail().location(), config.mail().fsync()),
                    new IndexOptions(true, config.mail().fsync(), config.index().cacheBytes()));
            var user = positional.getFirst();
            var names = positional.size() == 2 ? List.of(positional.get(1)) : selectable(cache, user);
            for (var name : names) {
                cache.reindex(user, name);
                out.println("roost: reindexed " + user + "/" + MailboxNames.canonical(name) + ": "
                        + cache.open(user, name).current().count() + " messages");
            }
            return 0;
        } catch (ConfigException e) {
            err.println("roost: configuration error:\n  " + e.getMessage().replace("\n", "\n  "));
            return Main.EXIT_USAGE;
        } catch (IOException | IllegalArgumentException e) {
            err.println("roost index: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    private static List<String> selectable(IndexCache cache, String user) throws IOException {
        var names = new ArrayList<String>();
        for (var info : cache.mailboxes(user).list()) {
            if (info.selectable()) {
                names.add(info.name());
            }
        }
        return names;
    }
}
