package org.roost.sieve;

import java.io.IOException;
import java.io.InputStream;

/** The message bytes as delivered, from their start, as often as asked. */
@FunctionalInterface
public interface MessageSource {
    InputStream open() throws IOException;
}
