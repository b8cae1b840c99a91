package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads a channel from its start with positional reads: any number of these may share one channel. */
final class ChannelInputStream extends BulkInputStream {
    private final FileChannel channel;
    private long position;

    ChannelInputStream(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(byte[] b, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = channel.read(ByteBuffer.wrap(b, offset, length), position);
        if (n > 0) {
            position += n;
        }
        return n;
    }
}
