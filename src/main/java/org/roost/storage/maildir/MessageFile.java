package org.roost.storage.maildir;

import java.nio.file.attribute.BasicFileAttributes;

/** A message file seen in {@code cur/}: its current name, that name parsed, and its attributes. */
record MessageFile(String fileName, MaildirFileName parsed, BasicFileAttributes attributes) {

    /** The stable key: the base name, unchanged by flag renames. */
    String key() {
        return parsed.base();
    }
}
