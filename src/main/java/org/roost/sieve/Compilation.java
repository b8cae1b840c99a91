package org.roost.sieve;

/** What compiling a script gave: the compiled script, or the first error with its line (RFC 5804 §2.6). */
public sealed interface Compilation {
    record Compiled(CompiledScript script) implements Compilation {}

    record Invalid(int line, String message) implements Compilation {
        /** As Pigeonhole words it: {@code line 3: unknown command 'fileint'}. */
        public String text() {
            return "line " + line + ": " + message;
        }
    }
}
