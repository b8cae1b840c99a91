package org.roost.managesieve;

import java.util.Locale;
import java.util.Optional;

/** One ManageSieve command (RFC 5804 §2), parsed: a value the session executes, with the state it needs. */
sealed interface ManageSieveCommand {

    /** Where a command may be used (RFC 5804 §4: command-any, command-nonauth, command-auth). */
    enum Access { ANY, NOT_AUTHENTICATED, AUTHENTICATED }

    /** The command name, upper-case, as the meters count it. */
    default String name() {
        return getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    default Access access() {
        return switch (this) {
            case Capability c -> Access.ANY;
            case Logout l -> Access.ANY;
            case Noop n -> Access.ANY;
            case Authenticate a -> Access.NOT_AUTHENTICATED;
            case StartTls s -> Access.NOT_AUTHENTICATED;
            default -> Access.AUTHENTICATED;
        };
    }

    /** A script as it came: its octets, or only its size when it was larger than the server keeps. */
    sealed interface Upload {
        record Received(byte[] content) implements Upload {}

        record TooLarge(long size) implements Upload {}
    }

    record Capability() implements ManageSieveCommand {}

    record Logout() implements ManageSieveCommand {}

    /** {@code tag}: echoed back in the TAG response code (RFC 5804 §2.13). */
    record Noop(Optional<byte[]> tag) implements ManageSieveCommand {}

    record Authenticate(String mechanism, Optional<byte[]> initialResponse) implements ManageSieveCommand {}

    record StartTls() implements ManageSieveCommand {}

    record Unauthenticate() implements ManageSieveCommand {}

    record HaveSpace(String script, long size) implements ManageSieveCommand {}

    record PutScript(String script, Upload content) implements ManageSieveCommand {}

    record CheckScript(Upload content) implements ManageSieveCommand {}

    record ListScripts() implements ManageSieveCommand {}

    /** {@code script} empty: no script is active afterwards (RFC 5804 §2.8). */
    record SetActive(String script) implements ManageSieveCommand {}

    record GetScript(String script) implements ManageSieveCommand {}

    record DeleteScript(String script) implements ManageSieveCommand {}

    record RenameScript(String from, String to) implements ManageSieveCommand {}
}
