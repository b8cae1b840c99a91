package org.roost.sieve;

import java.util.List;

/** An argument of a command or test (RFC 5228 §2.6): a tag, a number, or a string or string list. */
sealed interface Argument {
    int line();

    record Tag(String name, int line) implements Argument {}

    record Number(long value, int line) implements Argument {}

    /** {@code list}: written in brackets, which a single-string argument does not allow. */
    record Strings(List<String> values, boolean list, int line) implements Argument {}
}
