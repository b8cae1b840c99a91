package org.roost.storage.mbox;

/**
 * Counts what {@link Exposure} shows of a message: its size as stored (RFC822.SIZE before line
 * ends are made CRLF) and its bare LFs, so that the virtual size (CRLF line ends) is known without
 * keeping the bytes.
 */
final class ExposedSize implements Exposure.Sink {
    private long bytes;
    private long bareLineFeeds;
    private byte last;
    private byte beforeLast;

    @Override
    public void write(byte[] b, int offset, int length) {
        int end = offset + length;
        for (int lf = Exposure.indexOfLf(b, offset, end); lf >= 0; lf = Exposure.indexOfLf(b, lf + 1, end)) {
            if ((lf > offset ? b[lf - 1] : last) != '\r') {
                bareLineFeeds++;
            }
        }
        bytes += length;
        beforeLast = length >= 2 ? b[offset + length - 2] : last;
        last = b[offset + length - 1];
    }

    /**
     * Takes back the line end last written (LF or CRLF): it turned out to be the separator before
     * the next message. Only valid right after a write that ended with LF.
     */
    void retractLineEnd() {
        boolean crlf = beforeLast == '\r';
        bytes -= crlf ? 2 : 1;
        if (!crlf) {
            bareLineFeeds--;
        }
        last = 0;
        beforeLast = 0;
    }

    long size() {
        return bytes;
    }

    /** The size with every bare LF counted as CRLF, as clients get the message. */
    long virtualSize() {
        return bytes + bareLineFeeds;
    }
}
