package org.roost.auth.sasl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.roost.auth.password.ScramHash;

/** The mechanisms Roost implements, strongest first (the order to advertise them in). */
public final class SaslMechanisms {

    private static final List<SaslMechanism> ALL = List.of(
            new ScramMechanism(ScramHash.SHA_256),
            new ScramMechanism(ScramHash.SHA_1),
            new CramMd5Mechanism(),
            new OAuthBearerMechanism(),
            new XOAuth2Mechanism(),
            new PlainMechanism(),
            new LoginMechanism());

    private SaslMechanisms() {
    }

    public static List<SaslMechanism> all() {
        return ALL;
    }

    /** The mechanism with this name, ignoring case (SASL names are case-insensitive in IMAP and POP3). */
    public static Optional<SaslMechanism> byName(String name) {
        String wanted = name.toUpperCase(Locale.ROOT);
        return ALL.stream().filter(mechanism -> mechanism.name().equals(wanted)).findFirst();
    }

    /** The mechanisms to advertise: those that send the password only when the channel is protected. */
    public static List<SaslMechanism> offered(boolean passwordMechanismsAllowed) {
        return ALL.stream().filter(mechanism -> passwordMechanismsAllowed || !mechanism.sendsPassword()).toList();
    }

    /** The mechanisms a user with this stored password can authenticate with. */
    public static List<SaslMechanism> usableWith(String storedPassword) {
        return ALL.stream().filter(mechanism -> mechanism.usableWith(storedPassword)).toList();
    }

    /**
     * Checks a plaintext password (IMAP LOGIN, POP3 USER/PASS) with the same cost for unknown
     * users as for wrong passwords.
     */
    public static boolean checkPassword(CredentialLookup credentials, String user, byte[] password) {
        return Lookups.checkPassword(credentials, user, password) instanceof SaslStep.Success;
    }
}
