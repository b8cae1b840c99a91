package org.roost.storage.maildir;

import java.time.Instant;

/** A message file seen in {@code cur/}: its current name, that name parsed, its mtime and size on disk (unknown unless stat'ed). */
record MessageFile(String fileName, MaildirFileName parsed, Instant modified, long size) {

    /** The stable key: the base name, unchanged by flag renames. */
    String key() {
        return parsed.base();
    }
}
