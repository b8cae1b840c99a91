package org.roost.index;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.roost.storage.UserLocation;

/**
 * Notices changes other programs make to watched mailboxes (a file an MTA drops into {@code new/}, a
 * flag another server renames into {@code cur/}) as they happen, with one file system watch (inotify on
 * Linux) and one thread for the whole server, instead of a poll per session: each event refreshes the
 * mailbox's state, whose changes then reach its listeners like any other. Directories are watched while
 * some listener asks for their mailbox (counted). Where the system has no watch left, the mailbox is
 * still refreshed by every command that looks at it.
 */
final class ExternalChanges {
    private static final System.Logger LOG = System.getLogger(ExternalChanges.class.getName());

    /** A mailbox whose directories are watched. */
    record Target(UserLocation location, String mailbox) {}

    private final Consumer<Target> refresh;
    /** Per watched directory: its key and how many watches want each mailbox it belongs to. Guarded by this. */
    private final Map<Path, Watched> watched = new HashMap<>();
    private final Map<WatchKey, Watched> byKey = new HashMap<>();
    private WatchService service;

    private static final class Watched {
        final WatchKey key;
        final Map<Target, Integer> targets = new HashMap<>();

        Watched(WatchKey key) {
            this.key = key;
        }
    }

    /** {@code refresh} re-reads a target's mailbox (on the watching thread). */
    ExternalChanges(Consumer<Target> refresh) {
        this.refresh = refresh;
    }

    /** Watches {@code directories} for {@code target}; returns what stops this watch. */
    synchronized Runnable watch(Target target, List<Path> directories) {
        for (var directory : directories) {
            var w = watched.get(directory);
            if (w == null) {
                var key = register(directory);
                if (key == null) {
                    continue;
                }
                w = new Watched(key);
                watched.put(directory, w);
                byKey.put(key, w);
            }
            w.targets.merge(target, 1, Integer::sum);
        }
        return () -> unwatch(target, directories);
    }

    private synchronized void unwatch(Target target, List<Path> directories) {
        for (var directory : directories) {
            var w = watched.get(directory);
            if (w == null || w.targets.computeIfPresent(target, (t, n) -> n > 1 ? n - 1 : null) != null
                    || !w.targets.isEmpty()) {
                continue;
            }
            w.key.cancel();
            watched.remove(directory);
            byKey.remove(w.key);
        }
    }

    private WatchKey register(Path directory) {
        try {
            if (service == null) {
                service = FileSystems.getDefault().newWatchService();
                Thread.ofVirtual().name("external-changes").start(this::run);
            }
            return directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (NoSuchFileException e) {
            return null; // a mailbox without that directory yet: nothing to watch
        } catch (IOException | RuntimeException e) {
            // the system's watches used up (fs.inotify.max_user_watches), or no watching on this file system
            LOG.log(Level.WARNING, "cannot watch {0} ({1}): its changes by other programs show at the next command",
                    directory, e.getMessage());
            return null;
        }
    }

    /** Directories being watched (for tests). */
    synchronized int directories() {
        return watched.size();
    }

    private void run() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            key.pollEvents(); // all of them: one refresh reads every change
            key.reset();
            List<Target> targets;
            synchronized (this) {
                var w = byKey.get(key);
                targets = w == null ? List.of() : List.copyOf(w.targets.keySet());
            }
            for (var target : targets) {
                try {
                    refresh.accept(target);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "refreshing {0} after an outside change failed: {1}", target.mailbox(),
                            e.toString());
                }
            }
        }
    }
}
