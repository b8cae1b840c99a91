package org.roost.imap;

/** Input the session cannot recover from (overlong line, oversized non-synchronizing literal): BYE and close. */
public final class ProtocolViolation extends Exception {
    public ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
