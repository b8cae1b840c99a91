package org.roost.managesieve;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A command's completion (RFC 5804 §4 response-oknobye): OK, NO or BYE, an optional response code (§1.3) with its
 * optional string argument, and a human-readable text.
 */
record Reply(Status status, Optional<Code> code, String text) {

    enum Status { OK, NO, BYE }

    /** A response code such as {@code QUOTA/MAXSIZE}, or {@code TAG "x"} and {@code SASL "x"} with their string. */
    record Code(String name, Optional<byte[]> argument) {
        static Code of(String name) {
            return new Code(name, Optional.empty());
        }

        static Code of(String name, byte[] argument) {
            return new Code(name, Optional.of(argument));
        }

        static Code of(String name, String argument) {
            return of(name, argument.getBytes(StandardCharsets.UTF_8));
        }
    }

    static Reply ok(String text) {
        return new Reply(Status.OK, Optional.empty(), text);
    }

    static Reply ok(Code code, String text) {
        return new Reply(Status.OK, Optional.of(code), text);
    }

    static Reply no(String text) {
        return new Reply(Status.NO, Optional.empty(), text);
    }

    static Reply no(String code, String text) {
        return new Reply(Status.NO, Optional.of(Code.of(code)), text);
    }

    static Reply bye(String text) {
        return new Reply(Status.BYE, Optional.empty(), text);
    }

    /** The meters' result label. */
    String result() {
        return status.name();
    }
}
