package org.roost.net;

/**
 * Input a session cannot recover from (an overlong line, an oversized non-synchronizing literal,
 * too many bad commands): the session says its last words with this message and closes.
 */
public final class ProtocolViolation extends Exception {
    public ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
