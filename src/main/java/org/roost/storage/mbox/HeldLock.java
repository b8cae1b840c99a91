package org.roost.storage.mbox;

import java.io.IOException;

/** A lock on an mbox that another program honours; closing it more than once does nothing. */
interface HeldLock extends AutoCloseable {

    /** During a long operation: shows the lock is still in use (a dot-lock's time stamp), so nobody breaks it as stale. */
    default void keepAlive() throws IOException {
    }

    @Override
    void close() throws IOException;
}
