package org.roost.pop3;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** One parsed POP3 command (RFC 1939 §4-7, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH). */
sealed interface Pop3Command {

    /** The command keyword, upper case; also the metrics label. */
    default String name() {
        // every record is named after its keyword; getSimpleName is cached by the JDK
        return getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    record User(String user) implements Pop3Command {}

    /** The whole rest of the line: RFC 1939 §7 lets a password contain spaces. */
    record Pass(byte[] password) implements Pop3Command {
        @Override
        public String toString() {
            return "Pass[****]";
        }
    }

    record Apop(String user, String digest) implements Pop3Command {}

    /** {@code mechanism} empty: the pre-RFC 5034 "AUTH" that lists the mechanisms (Outlook, old clients). */
    record Auth(Optional<String> mechanism, Optional<byte[]> initialResponse) implements Pop3Command {}

    record Capa() implements Pop3Command {}

    record Stls() implements Pop3Command {}

    record Quit() implements Pop3Command {}

    record Stat() implements Pop3Command {}

    record List(OptionalInt message) implements Pop3Command {}

    record Uidl(OptionalInt message) implements Pop3Command {}

    record Retr(int message) implements Pop3Command {}

    /** RFC 1939 §7: the header, the blank line and the first {@code lines} lines of the body. */
    record Top(int message, long lines) implements Pop3Command {}

    record Dele(int message) implements Pop3Command {}

    record Noop() implements Pop3Command {}

    record Rset() implements Pop3Command {}

    /** True for the commands of the TRANSACTION state (RFC 1939 §5). */
    default boolean needsTransaction() {
        return switch (this) {
            case Stat s -> true;
            case List l -> true;
            case Uidl u -> true;
            case Retr r -> true;
            case Top t -> true;
            case Dele d -> true;
            case Noop n -> true;
            case Rset r -> true;
            default -> false;
        };
    }

    /** True for the commands only the AUTHORIZATION state accepts (RFC 1939 §4, RFC 2595 §4, RFC 5034 §4). */
    default boolean needsAuthorization() {
        return switch (this) {
            case User u -> true;
            case Pass p -> true;
            case Apop a -> true;
            case Auth a -> true;
            case Stls s -> true;
            default -> false;
        };
    }
}
