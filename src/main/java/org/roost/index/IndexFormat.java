package org.roost.index;

import java.util.zip.CRC32C;

/** Constants and checksums shared by the index file and the change log. */
final class IndexFormat {
    static final String INDEX_FILE = "roost.index";
    static final String LOG_FILE = "roost.index.log";
    static final int INDEX_MAGIC = 0x524f4958; // "ROIX"
    static final int LOG_MAGIC = 0x524f4c47; // "ROLG"
    /**
     * 5: internal dates and physical sizes may be unknown too (looked up in the files later), and the
     * log's size record became a facts record. 4: internal dates are kept as given, before 1970 and
     * after 2106 too (files of version 2 may hold such dates cut to that range), and virtual sizes may
     * be unknown (measured later), counted by the summary; version 3 was either change alone, in two
     * layouts. Every older file is rebuilt from the mail (whose mtimes keep the dates as far as the
     * file system can).
     */
    static final int VERSION = 5;
    static final int HEADER_SIZE = 128;
    static final int RECORD_SIZE = 48;
    static final int LOG_HEADER_SIZE = 32;
    static final int VALID_FLAG_BITS = 0x1f;

    private IndexFormat() {}

    static int crc(byte[] bytes, int offset, int length) {
        var crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
