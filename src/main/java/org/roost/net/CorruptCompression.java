package org.roost.net;

import java.io.IOException;

/** The client's compressed input is not valid DEFLATE (RFC 1951): the session says BYE and closes. */
public final class CorruptCompression extends IOException {
    public CorruptCompression(String message) {
        super(message);
    }
}
