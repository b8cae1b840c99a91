package org.roost.managesieve;

/** One item of what a client sends (RFC 5804 §4): an atom, a number, a string, or a literal too large to keep. */
sealed interface Word {
    /** A bare word such as a command name, as ASCII. */
    record Atom(String text) implements Word {}

    /** A 32-bit unsigned number. */
    record Number(long value) implements Word {}

    /** A quoted string or a literal, as the octets sent. */
    record Text(byte[] bytes) implements Word {}

    /** A literal above the size the reader keeps: read and dropped, only its size is known. */
    record Skipped(long size) implements Word {}
}
