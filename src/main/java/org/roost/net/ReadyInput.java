package org.roost.net;

import java.io.IOException;

/**
 * Input that can say exactly what it has ready: bytes it can hand over without waiting. {@link java.io.InputStream#available()}
 * is only an estimate, and a decompressing stream cannot know without decompressing.
 */
interface ReadyInput {
    /** Reads what can be read without waiting, at most {@code len} bytes; 0 when nothing is ready (or at the end). */
    int readReady(byte[] b, int off, int len) throws IOException;
}
