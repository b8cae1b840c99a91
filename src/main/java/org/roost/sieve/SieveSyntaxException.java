package org.roost.sieve;

/** A script that cannot be compiled: the line (from 1) and what is wrong there. */
public final class SieveSyntaxException extends Exception {
    private final int line;

    public SieveSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }

    @Override
    public String toString() {
        return "line " + line + ": " + getMessage();
    }
}
