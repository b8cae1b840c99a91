package org.roost.imap.urlauth;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.roost.index.MailboxState;

/** Octets of a message part an IMAP URL names ({@link UrlPart}): how many, and how to read them. */
public record PartBytes(long size, MailboxState.MessageSource source) {

    /** {@code count} bytes of {@code data} from {@code start}. */
    static InputStream window(byte[] data, long start, long count) {
        return new ByteArrayInputStream(data, (int) start, (int) count);
    }

    /** {@code count} bytes of {@code in} from {@code start} on. */
    static InputStream window(InputStream in, long start, long count) throws IOException {
        try {
            in.skipNBytes(start);
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new FilterInputStream(in) {
            private long left = count;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buffer, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }
}
