package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.roost.auth.DatabaseEvents;
import org.roost.auth.setup.UserDirectory;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.config.RoostConfig;
import org.roost.fts.FullTextOptions;
import org.roost.fts.FullTextSearch;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.Mailboxes;
import org.roost.mail.MailboxNames;
import org.roost.storage.StorageDriver;

/**
 * {@code roost index [--config FILE] USER [MAILBOX]}: rebuilds the index of one mailbox, or of
 * every mailbox of the user, from the mail files (like {@code doveadm force-resync}). UIDs come
 * from the Maildir's own {@code dovecot-uidlist}, so clients keep their caches.
 * {@code roost index --fts USER}: rebuilds the user's full-text index (while the server is stopped;
 * a running server rebuilds it through the admin API).
 */
final class IndexCommand {
    private IndexCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path configFile = null;
        boolean fullText = false;
        var positional = new ArrayList<String>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                configFile = Path.of(args.get(++i));
            } else if (args.get(i).equals("--fts")) {
                fullText = true;
            } else {
                positional.add(args.get(i));
            }
        }
        if (positional.isEmpty() || positional.size() > (fullText ? 1 : 2)) {
            err.println("usage: roost index [--config FILE] USER [MAILBOX]\n       roost index [--config FILE] --fts USER");
            return Main.EXIT_USAGE;
        }
        try {
            var config = new ConfigLoader().load(configFile, System.getenv());
            UserDirectory.check(config.auth());
            // the user's own mail field, if their database has one, says where their mail is
            try (var users = UserDirectory.open(config.auth(), DatabaseEvents.NONE, InstantSource.system())) {
                var cache = offlineCache(config, StorageDrivers.forUsers(config.mail(), config.data(),
                        users.chain()));
                if (fullText) {
                    rebuildFullText(cache, RoostServer.fullTextOptions(config), positional.getFirst(), out);
                } else {
                    reindex(cache, positional.getFirst(), positional.size() == 2 ? positional.get(1) : null, out);
                }
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

    /** The index of the users' mail for a tool that runs beside the server, or without it. */
    static IndexCache offlineCache(RoostConfig config, StorageDriver storage) {
        return new IndexCache(storage, new IndexOptions(true, config.mail().fsync(), config.index().cacheBytes(),
                config.index().maxHeldExpunged(), config.index().fileLookupThreads(), config.index().maxExpungedRanges(),
                config.index().maxOpenFiles(), config.index().sortRunBytes()));
    }

    /** One mailbox, or every selectable one when {@code mailbox} is null. */
    private static void reindex(IndexCache cache, String user, String mailbox, PrintStream out) throws IOException {
        var mailboxes = cache.mailboxes(user);
        for (var name : mailbox != null ? List.of(mailbox) : selectable(mailboxes)) {
            var state = mailboxes.open(name);
            state.reindex();
            out.println("roost: reindexed " + user + "/" + MailboxNames.canonical(name) + ": "
                    + state.current().count() + " messages");
        }
    }

    private static void rebuildFullText(IndexCache cache, FullTextOptions options, String user, PrintStream out)
            throws IOException {
        if (!options.enabled()) {
            throw new IOException("the full-text index is off (fts.enabled: false)");
        }
        try (var fullText = new FullTextSearch(options, cache)) {
            int messages = fullText.rebuildNow(user);
            out.println("roost: rebuilt the full-text index of " + user + ": " + messages + " messages");
        }
    }

    private static List<String> selectable(Mailboxes mailboxes) throws IOException {
        var names = new ArrayList<String>();
        for (var info : mailboxes.list()) {
            if (info.selectable()) {
                names.add(info.name());
            }
        }
        return names;
    }
}
