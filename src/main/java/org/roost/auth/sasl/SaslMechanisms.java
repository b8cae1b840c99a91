package org.roost.auth.sasl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The mechanisms this server offers. */
public final class SaslMechanisms {
    private static final List<SaslMechanism> ALL = List.of(new PlainMechanism());

    private SaslMechanisms() {}

    public static List<SaslMechanism> all() {
        return ALL;
    }

    public static Optional<SaslMechanism> byName(String name) {
        var upper = name.toUpperCase(Locale.ROOT);
        return ALL.stream().filter(m -> m.name().equals(upper)).findFirst();
    }
}
