package org.roost.net;

import java.io.IOException;

/** A change of a connection's streams after a command's OK (STARTTLS, STLS; COMPRESS): the session then reads and writes anew. */
@FunctionalInterface
public interface ConnectionUpgrade {
    void apply(Connection connection) throws IOException;
}
