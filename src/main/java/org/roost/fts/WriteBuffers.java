package org.roost.fts;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * What the indexer's writers hold in memory for their next segments, bounded over all of them. Nothing
 * reopens an index's searchers until a search wants to see it (or a commit), so a writer's buffer is no longer
 * written out every {@code fts.refreshInterval}: it grows until the index is committed, searched, or this bound
 * has the largest buffer written out as a segment (without reopening). Used by the indexer's thread alone.
 */
final class WriteBuffers {
    private static final System.Logger LOG = System.getLogger(WriteBuffers.class.getName());
    private final long maxBytes;
    /** The indexes written to whose buffers may not be empty yet. */
    private final Set<UserIndex> written = ConcurrentHashMap.newKeySet();

    /** {@code maxBytes}: what all the writers together may buffer ({@code fts.ramBufferBytes}). */
    WriteBuffers(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Notes that {@code index} was written to. */
    void add(UserIndex index) {
        written.add(index);
    }

    /** Writes out the largest buffers until all of them together hold at most the bound. */
    void bound() {
        while (true) {
            long total = 0;
            UserIndex largest = null;
            long most = 0;
            for (var index : written) {
                long bytes = buffered(index);
                if (bytes == 0) {
                    written.remove(index); // written out (or closed) since
                }
                total += bytes;
                if (bytes > most) {
                    most = bytes;
                    largest = index;
                }
            }
            if (total <= maxBytes || largest == null) {
                return;
            }
            try {
                largest.flush();
            } catch (AlreadyClosedException closedMeanwhile) {
                // closing committed it
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "writing out a full-text index's buffer failed: {0}", e.toString());
            }
            written.remove(largest); // written out, or failed: not retried before its next write
        }
    }

    private static long buffered(UserIndex index) {
        try {
            return index.bufferedBytes();
        } catch (AlreadyClosedException closed) {
            return 0;
        }
    }
}
