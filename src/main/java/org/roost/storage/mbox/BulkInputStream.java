package org.roost.storage.mbox;

import java.io.IOException;
import java.io.InputStream;

/** A stream that reads in bulk; a single byte is a bulk read of one. */
abstract class BulkInputStream extends InputStream {
    private final byte[] single = new byte[1];

    @Override
    public int read() throws IOException {
        return read(single, 0, 1) < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int offset, int length) throws IOException;
}
