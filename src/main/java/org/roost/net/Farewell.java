package org.roost.net;

/** A protocol's last line to a client the server ends or refuses ("* BYE ...", "-ERR [SYS/TEMP] ..."), without CRLF. */
@FunctionalInterface
public interface Farewell {
    String line(Ending ending, String text);
}
