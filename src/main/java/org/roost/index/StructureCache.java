package org.roost.index;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.mime.MessageStructure;

/**
 * Parsed MIME structures of one mailbox's messages, least recently used dropped first, so that
 * ENVELOPE/BODYSTRUCTURE/sections are computed once per message and shared by every session.
 */
final class StructureCache {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, MessageStructure> byUid;

    StructureCache(int capacity) {
        this.byUid = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, MessageStructure> eldest) {
                return size() > capacity;
            }
        };
    }

    MessageStructure get(long uid) {
        lock.lock();
        try {
            return byUid.get(uid);
        } finally {
            lock.unlock();
        }
    }

    void put(long uid, MessageStructure structure) {
        lock.lock();
        try {
            byUid.put(uid, structure);
        } finally {
            lock.unlock();
        }
    }

    void remove(long uid) {
        lock.lock();
        try {
            byUid.remove(uid);
        } finally {
            lock.unlock();
        }
    }
}
