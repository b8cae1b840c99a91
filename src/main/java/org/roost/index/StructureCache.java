package org.roost.index;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.mime.MessageStructure;
import org.roost.storage.StoredMessage;

/**
 * Parsed MIME structures of one mailbox's messages, so that ENVELOPE/BODYSTRUCTURE/sections are
 * computed once per message and shared by every session: the most recently used ones on the heap,
 * and, when the mailbox has index files, all that were ever asked for in {@link StructureCacheFile}
 * (so a restart does not send every FETCH ENVELOPE back to the message files).
 *
 * <p>Only messages the current snapshot holds are served: an expunged message is never answered
 * from either level.
 */
final class StructureCache implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, MessageStructure> byUid;
    /** Null when the mailbox keeps no index files. */
    private final StructureCacheFile file;

    StructureCache(int capacity, StructureCacheFile file) {
        this.file = file;
        this.byUid = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, MessageStructure> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The structure of a message that {@code snapshot} holds, from the heap or the file; null if neither has it. */
    MessageStructure get(StoredMessage message, MailboxSnapshot snapshot) {
        if (snapshot.indexOf(message.uid()) < 0) {
            return null;
        }
        var inMemory = fromMemory(message.uid());
        if (inMemory != null || file == null) {
            return inMemory;
        }
        var fromFile = file.read(message, snapshot);
        if (fromFile != null) {
            toMemory(message.uid(), fromFile);
        }
        return fromFile;
    }

    /** Keeps a freshly parsed structure (in the file too, while the message is not expunged). */
    void put(StoredMessage message, MessageStructure structure, MailboxSnapshot snapshot) {
        toMemory(message.uid(), structure);
        if (file != null && snapshot.indexOf(message.uid()) >= 0) {
            file.write(message, structure, snapshot);
        }
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

    private MessageStructure fromMemory(long uid) {
        lock.lock();
        try {
            return byUid.get(uid);
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
