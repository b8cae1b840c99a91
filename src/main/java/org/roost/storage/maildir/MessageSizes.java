package org.roost.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Physical size and virtual size (every bare LF counted as CRLF) of message bytes. */
record MessageSizes(long size, long virtualSize) {

    /** Copies {@code in} to {@code out}, measuring as it goes. */
    static MessageSizes copy(InputStream in, OutputStream out) throws IOException {
        var buffer = new byte[64 * 1024];
        long size = 0;
        long bareLineFeeds = 0;
        int previous = -1;
        int read;
        while ((read = in.read(buffer)) > 0) {
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n' && previous != '\r') {
                    bareLineFeeds++;
                }
                previous = buffer[i];
            }
            out.write(buffer, 0, read);
            size += read;
        }
        return new MessageSizes(size, size + bareLineFeeds);
    }
}
