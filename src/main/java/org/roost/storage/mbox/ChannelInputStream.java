package org.roost.storage.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads a channel from its start with positional reads: any number of these may share one channel. */
final class ChannelInputStream extends InputStream {
    private final FileChannel channel;
    private long position;

    ChannelInputStream(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        var one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
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
