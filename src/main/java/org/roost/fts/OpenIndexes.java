package org.roost.fts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The users' indexes open now, at most {@code max}: opening one more closes the least recently used
 * (committing what it added). A search that still held the closed one reads the mail instead.
 */
final class OpenIndexes {
    private static final System.Logger LOG = System.getLogger(OpenIndexes.class.getName());
    private final int max;
    private final LinkedHashMap<String, UserIndex> byUser = new LinkedHashMap<>(16, 0.75f, true);

    /** Opens the index of one user. */
    @FunctionalInterface
    interface Opener {
        UserIndex open(String user) throws IOException;
    }

    OpenIndexes(int max) {
        this.max = max;
    }

    synchronized UserIndex get(String user, Opener opener) throws IOException {
        var index = byUser.get(user);
        if (index != null && !index.isOpen()) { // Lucene closed it after a failed write: open it again
            byUser.remove(user);
            closeQuietly(user, index);
            index = null;
        }
        if (index == null) {
            index = opener.open(user);
            byUser.put(user, index);
            var eldest = byUser.entrySet().iterator();
            while (byUser.size() > max) {
                var closing = eldest.next();
                eldest.remove();
                closeQuietly(closing.getKey(), closing.getValue());
            }
        }
        return index;
    }

    /** What is done to the files of an index once it is closed. */
    @FunctionalInterface
    interface Removal {
        void run() throws IOException;
    }

    /**
     * Closes {@code user}'s index, if open, without committing, and then runs {@code removal} (which deletes
     * its files), both before anyone can open it again.
     */
    synchronized void discard(String user, Removal removal) throws IOException {
        var index = byUser.remove(user);
        if (index != null) {
            try {
                index.abandon();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "full-text index of {0} not closed cleanly: {1}", user,
                        e.toString());
            }
        }
        removal.run();
    }

    synchronized List<UserIndex> all() {
        return new ArrayList<>(byUser.values());
    }

    /** Closes every index. */
    synchronized void closeAll() {
        byUser.forEach(OpenIndexes::closeQuietly);
        byUser.clear();
    }

    private static void closeQuietly(String user, UserIndex index) {
        try {
            index.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "full-text index of {0} not closed cleanly: {1}", user, e.toString());
        }
    }
}
