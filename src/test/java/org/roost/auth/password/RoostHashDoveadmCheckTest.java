package org.roost.auth.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hashes our {@link Passwords#hash} produced, as checked by {@code doveadm pw -t}
 * (roost-pw-doveadm-check.txt, made by make-roost-pw-doveadm-check.sh): Dovecot accepted each
 * one, and we still verify them.
 */
class RoostHashDoveadmCheckTest {

    static List<Fixtures.Line> checked() {
        return Fixtures.read("/auth/roost-pw-doveadm-check.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checked")
    void dovecotAcceptedOurHash(Fixtures.Line line) {
        assertEquals("verified", line.extra(), "doveadm pw -t verdict for " + line.hash());
        assertTrue(Passwords.verify(line.hash(), line.passwordBytes()));
    }

    @Test
    void everySchemeWasChecked() {
        Set<String> checkedSchemes = checked().stream()
                .map(line -> line.scheme().replaceAll("\\..*", ""))
                .collect(Collectors.toSet());
        assertEquals(Passwords.schemes(), checkedSchemes);
    }
}
