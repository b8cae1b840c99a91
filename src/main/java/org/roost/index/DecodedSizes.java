package org.roost.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.mime.DecodedSize;

/**
 * The decoded sizes of one mailbox's BINARY sections, so that BINARY.SIZE and BINARY of a large
 * attachment decode it once to measure it, not once per FETCH: the most recently used ones, on the heap
 * (a few dozen bytes each). A message's content never changes under its UID within a UIDVALIDITY, so an
 * entry stays true; one of an expunged message is never asked again and ages out.
 */
public final class DecodedSizes {
    /** Decodes a section to measure it. */
    @FunctionalInterface
    public interface Measure {
        DecodedSize measure() throws IOException;
    }

    private record Key(long uidValidity, long uid, String part) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, DecodedSize> sizes;

    DecodedSizes(int capacity) {
        this.sizes = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, DecodedSize> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The size kept for this section, else {@code measure}'s (measured outside the lock, then kept). */
    DecodedSize get(long uidValidity, long uid, int[] part, Measure measure) throws IOException {
        var key = new Key(uidValidity, uid, Arrays.toString(part));
        lock.lock();
        try {
            var known = sizes.get(key);
            if (known != null) {
                return known;
            }
        } finally {
            lock.unlock();
        }
        var measured = measure.measure();
        lock.lock();
        try {
            sizes.put(key, measured);
        } finally {
            lock.unlock();
        }
        return measured;
    }
}
