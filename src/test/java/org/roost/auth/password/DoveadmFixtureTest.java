package org.roost.auth.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every hash Dovecot's {@code doveadm pw} made (doveadm-pw.txt) must verify, and only with its own password. */
class DoveadmFixtureTest {

    static List<Fixtures.Line> doveadm() {
        return Fixtures.read("/auth/doveadm-pw.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("doveadm")
    void verifiesDoveadmHash(Fixtures.Line line) {
        Verification result = Passwords.check(line.hash(), line.passwordBytes());
        assertTrue(result.matches(), result.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("doveadm")
    void rejectsWrongPassword(Fixtures.Line line) {
        byte[] wrong = (line.password() + "!").getBytes(StandardCharsets.UTF_8);
        boolean truncatingScheme = line.hash().contains("$2y$") || line.scheme().equals("DES-CRYPT");
        byte[] different = truncatingScheme ? ("Q" + line.password()).getBytes(StandardCharsets.UTF_8) : wrong;
        assertFalse(Passwords.verify(line.hash(), different));
    }

    @Test
    void fixtureCoversEveryGeneratableScheme() {
        Set<String> covered = doveadm().stream()
                .map(line -> line.scheme().replaceAll("\\..*", ""))
                .collect(Collectors.toSet());
        assertEquals(Passwords.schemes(), covered);
    }

    static Stream<Fixtures.Line> cryptFamily() {
        return doveadm().stream().filter(line -> line.hash().matches("\\{[A-Z0-9-]*CRYPT\\}.*"));
    }

    /** Dovecot's default scheme for a value without braces is CRYPT, which detects the format by prefix. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cryptFamily")
    void bareAndCryptLabelledValuesVerify(Fixtures.Line line) {
        String bare = line.hash().substring(line.hash().indexOf('}') + 1);
        assertTrue(Passwords.verify(bare, line.passwordBytes()), "bare " + bare);
        assertTrue(Passwords.verify("{CRYPT}" + bare, line.passwordBytes()), "{CRYPT}" + bare);
        assertTrue(Passwords.verify("{crypt}" + bare, line.passwordBytes()), "lower-case scheme name");
    }
}
