package org.roost.imap;

import java.util.Optional;

/** A parsed IMAP command: a value, executed by {@link ImapSession} (parsing never touches storage). */
public sealed interface Command {
    String tag();

    /** The command's name as counted in metrics. */
    String name();

    record Capability(String tag) implements Command {
        public String name() {
            return "CAPABILITY";
        }
    }

    record Noop(String tag) implements Command {
        public String name() {
            return "NOOP";
        }
    }

    record Logout(String tag) implements Command {
        public String name() {
            return "LOGOUT";
        }
    }

    record StartTls(String tag) implements Command {
        public String name() {
            return "STARTTLS";
        }
    }

    record Login(String tag, String user, byte[] password) implements Command {
        public String name() {
            return "LOGIN";
        }

        @Override
        public String toString() {
            return "Login[" + tag + ", " + user + "]";
        }
    }

    /** AUTHENTICATE with an optional SASL-IR initial response (RFC 4959; "=" is an empty response). */
    record Authenticate(String tag, String mechanism, Optional<byte[]> initialResponse) implements Command {
        public String name() {
            return "AUTHENTICATE";
        }
    }
}
