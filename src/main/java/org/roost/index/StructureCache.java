package org.roost.index;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.StoredMessage;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.StructureCodec;
import org.roost.storage.MailboxStore;

/**
 * Parsed MIME structures of one mailbox's messages, so that ENVELOPE/BODYSTRUCTURE/sections are
 * computed once per message and shared by every session: the most recently used ones on the heap,
 * and, when the mailbox has index files, all that were ever asked for in {@link StructureCacheFile}
 * (so a restart does not send every FETCH ENVELOPE back to the message files), and where the storage keeps them for
 * every server ({@link MailboxStore#keptStructures}, a database shared by replicas), there too: a structure one
 * replica parsed is read by the others, never parsed again.
 *
 * <p>Only messages the current snapshot holds are served: an expunged message is never answered
 * from either level.
 */
final class StructureCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StructureCache.class.getName());
    /**
     * What one parsed structure holds on the heap, about: its parts, header fields, envelope and their
     * strings (2.3 kB on average in the mixed load's mail: 21,500 structures held ~50 MB, BENCHMARKS.md
     * "Memory over a long mixed load"). Counted so that the budget of open mailboxes sees them.
     */
    static final int STRUCTURE_BYTES = 2_560;
    /** How many of the newest messages' structures {@link #preload} brings onto the heap. */
    private static final int PRELOADED_NEWEST = 100;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, MessageStructure> byUid;
    /** Null when the mailbox keeps no index files. */
    private final StructureCacheFile file;
    private final MailboxStore storage;
    private volatile Thread preloader;

    StructureCache(int capacity, StructureCacheFile file, MailboxStore storage) {
        this.file = file;
        this.storage = storage;
        this.byUid = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, MessageStructure> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * When the mailbox has a cache file, reads it on a virtual thread once the mailbox's records
     * are read (by the first command that needs a message), and brings the structures of the
     * newest messages onto the heap: what a client fetches first after selecting a mailbox is the
     * ENVELOPE of its newest messages, and that answer then costs no disk read.
     */
    void preload(MailboxSnapshot snapshot) {
        if (file == null || !file.exists()) {
            return;
        }
        snapshot.onRecordsRead(() -> startPreload(snapshot));
    }

    private void startPreload(MailboxSnapshot snapshot) {
        preloader = Thread.ofVirtual().name("structure-cache-preload").start(() -> {
            if (!file.load(snapshot)) {
                return;
            }
            for (int i = snapshot.count() - 1; i >= Math.max(0, snapshot.count() - PRELOADED_NEWEST); i--) {
                var message = snapshot.message(i);
                var structure = file.readIfOpen(message, snapshot);
                if (structure != null) {
                    toMemory(message.uid(), structure);
                }
            }
        });
    }

    /** Waits for {@link #preload} to finish (for tests: until then, structures are parsed). */
    void awaitPreload() throws InterruptedException {
        var thread = preloader;
        if (thread != null) {
            thread.join();
        }
    }

    /** Heap bytes the structures on the heap hold, estimated ({@link #STRUCTURE_BYTES} each). */
    long heapBytes() {
        lock.lock();
        try {
            return (long) byUid.size() * STRUCTURE_BYTES;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The structure of a message that {@code snapshot} holds, from the heap, the file or the storage; null if none
     * has it.
     */
    MessageStructure get(StoredMessage message, MailboxSnapshot snapshot) {
        if (snapshot.indexOf(message.uid()) < 0) {
            return null;
        }
        var inMemory = fromMemory(message.uid());
        if (inMemory != null) {
            return inMemory;
        }
        var fromFile = file == null ? null : file.read(message, snapshot);
        if (fromFile != null) {
            toMemory(message.uid(), fromFile);
            return fromFile;
        }
        return fromStorage(message, snapshot);
    }

    /**
     * The storage's structure of {@code message} (kept in the file too), and onto the heap those of the messages
     * after it that the storage read at once. A storage that does not answer, or a structure that does not decode
     * (written by another version), is a miss: the message is parsed.
     */
    private MessageStructure fromStorage(StoredMessage message, MailboxSnapshot snapshot) {
        Map<Long, MailboxStore.KeptStructure> kept;
        try {
            kept = storage.keptStructures(message);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "kept structures not read: {0}", e.toString());
            return null;
        }
        MessageStructure wanted = null;
        for (var entry : kept.entrySet()) {
            long uid = entry.getKey();
            var structure = decoded(entry.getValue());
            if (structure == null || snapshot.indexOf(uid) < 0) {
                continue;
            }
            if (uid == message.uid()) {
                wanted = structure;
                toMemory(uid, structure);
                if (file != null) {
                    file.write(message, structure, snapshot);
                }
            } else {
                toMemoryIfAbsent(uid, structure);
            }
        }
        return wanted;
    }

    private static MessageStructure decoded(MailboxStore.KeptStructure kept) {
        try {
            return StructureCodec.decode(kept.encoded(), 0, kept.encoded().length);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Keeps a freshly parsed structure (in the file and the storage too, while the message is not expunged). */
    void put(StoredMessage message, MessageStructure structure, MailboxSnapshot snapshot) {
        toMemory(message.uid(), structure);
        if (snapshot.indexOf(message.uid()) < 0) {
            return;
        }
        if (file != null) {
            file.write(message, structure, snapshot);
        }
        toStorage(message, structure);
    }

    /** A structure the storage cannot take (too large, or unrepresentable) or a failed write is simply not kept. */
    private void toStorage(StoredMessage message, MessageStructure structure) {
        var encoded = StructureCodec.encode(structure);
        if (encoded == null || encoded.length > StructureCacheFile.MAX_PAYLOAD) {
            return;
        }
        int detail = !structure.complete() ? 0 : structure.preview() == null ? 1 : 2;
        try {
            storage.keepStructure(message, new MailboxStore.KeptStructure(detail, encoded));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "structure not kept in the storage: {0}", e.toString());
        }
    }

    /** Keeps a structure in place of the one kept (it carries more: the message's preview). */
    void replace(StoredMessage message, MessageStructure structure, MailboxSnapshot snapshot) {
        if (file != null) {
            file.forget(message.uid());
        }
        put(message, structure, snapshot);
    }

    /** The message is expunged. */
    void remove(long uid) {
        lock.lock();
        try {
            byUid.remove(uid);
        } finally {
            lock.unlock();
        }
        if (file != null) {
            file.forget(uid);
        }
    }

    /** Drops everything, file included (the index is rebuilt from the mail). */
    void clear() {
        lock.lock();
        try {
            byUid.clear();
        } finally {
            lock.unlock();
        }
        if (file != null) {
            file.delete();
        }
    }

    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }

    /** Closes the cache file until it is next used (see {@link StructureCacheFile#release}); false when it is in use. */
    boolean releaseFile() {
        return file == null || file.release();
    }

    private MessageStructure fromMemory(long uid) {
        lock.lock();
        try {
            return byUid.get(uid);
        } finally {
            lock.unlock();
        }
    }

    private void toMemoryIfAbsent(long uid, MessageStructure structure) {
        lock.lock();
        try {
            byUid.putIfAbsent(uid, structure);
        } finally {
            lock.unlock();
        }
    }

    private void toMemory(long uid, MessageStructure structure) {
        lock.lock();
        try {
            byUid.put(uid, structure);
        } finally {
            lock.unlock();
        }
    }
}
