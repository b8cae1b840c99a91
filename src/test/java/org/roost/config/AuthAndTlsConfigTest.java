package org.roost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth.* and tls.* keys added for databases, penalties, SNI and reload. */
class AuthAndTlsConfigTest {
    @TempDir
    Path dir;

    private RoostConfig load(String yaml, Map<String, String> env) throws Exception {
        var file = dir.resolve("roost.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file, env);
    }

    private String problem(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml, Map.of())).getMessage();
    }

    @Test
    void defaultsAreSafe() throws Exception {
        var c = load("{}", Map.of());
        assertFalse(c.auth().system());
        assertEquals(List.of("passwdFile", "system"), c.auth().databases());
        assertEquals(Path.of("/etc/shadow"), c.auth().shadowPath());
        assertEquals(1000, c.auth().systemMinUid());
        assertEquals(Duration.ofSeconds(15), c.auth().penalty().maxDelay());
        assertEquals(64, c.auth().penalty().ipv6Prefix());
        assertEquals(4, c.auth().maxConcurrentVerifications());
        assertEquals(1, c.auth().maxConcurrentVerificationsPerUser());
        assertEquals(4, c.auth().maxWaitingAddressesPerUser());
        assertEquals(100_000, c.auth().penalty().maxAddresses());
        assertEquals(List.of(), c.tls().sni());
        assertEquals(Duration.ofSeconds(5), c.tls().reloadInterval());
    }

    @Test
    void systemUsersAndPenaltiesFromYamlAndEnvironment() throws Exception {
        var c = load("""
                auth:
                  system: true
                  databases: [system, passwdFile]
                  shadowPath: /srv/shadow
                  penalty: {maxDelay: 30s, maxAddresses: 5000}
                  maxWaitingAddressesPerUser: 0
                tls:
                  certificate: /etc/ssl/a.pem
                  key: /etc/ssl/a.key
                  sni:
                    - names: [mail.example.org, "*.example.net"]
                      certificate: /etc/ssl/b.pem
                      key: /etc/ssl/b.key
                """, Map.of("ROOST_AUTH_PENALTY_INITIALDELAY", "250ms", "ROOST_AUTH_SYSTEMMINUID", "500",
                "ROOST_AUTH_MAXCONCURRENTVERIFICATIONSPERUSER", "2"));
        assertTrue(c.auth().system());
        assertEquals(List.of("system", "passwdFile"), c.auth().databases());
        assertEquals(Path.of("/srv/shadow"), c.auth().shadowPath());
        assertEquals(Path.of("/etc/passwd"), c.auth().passwdPath());
        assertEquals(Duration.ofMillis(250), c.auth().penalty().initialDelay());
        assertEquals(Duration.ofSeconds(30), c.auth().penalty().maxDelay());
        assertEquals(500, c.auth().systemMinUid());
        assertEquals(5000, c.auth().penalty().maxAddresses());
        assertEquals(2, c.auth().maxConcurrentVerificationsPerUser());
        assertEquals(0, c.auth().maxWaitingAddressesPerUser());
        assertEquals(List.of("mail.example.org", "*.example.net"), c.tls().sni().getFirst().names());
    }

    @Test
    void impossibleValuesAreNamedByTheirKey() {
        assertTrue(problem("auth: {databases: [nis]}").contains("auth.databases[0]"));
        assertTrue(problem("auth: {databases: []}").contains("auth.databases"));
        assertTrue(problem("auth: {system: true, databases: [passwdFile]}").contains("auth.system"));
        assertTrue(problem("auth: {penalty: {initialDelay: 20s, maxDelay: 10s}}").contains("auth.penalty.maxDelay"));
        assertTrue(problem("auth: {penalty: {ipv6Prefix: 129}}").contains("auth.penalty.ipv6Prefix"));
        assertTrue(problem("auth: {maxConcurrentVerifications: 0}").contains("auth.maxConcurrentVerifications"));
        assertTrue(problem("auth: {penalty: {maxDelay: 10m}}").contains("auth.penalty.maxDelay: must be between initialDelay and 5m"));
        assertTrue(problem("auth: {penalty: {decay: 0s}}").contains("auth.penalty.decay"));
        assertTrue(problem("auth: {penalty: {maxAddresses: 0}}").contains("auth.penalty.maxAddresses: must be between 1 and"));
        assertTrue(problem("auth: {maxConcurrentVerificationsPerUser: 0}").contains("auth.maxConcurrentVerificationsPerUser"));
        assertTrue(problem("auth: {maxConcurrentVerifications: 2, maxConcurrentVerificationsPerUser: 3}").contains(
                "auth.maxConcurrentVerificationsPerUser: must be between 1 and auth.maxConcurrentVerifications (2)"));
        assertTrue(problem("auth: {maxWaitingAddressesPerUser: -1}").contains("auth.maxWaitingAddressesPerUser"));
        assertTrue(problem("tls: {sni: [{names: [], certificate: /a, key: /b}]}").contains("tls.sni[0].names"));
        assertTrue(problem("tls: {sni: [{names: [a.test], certificate: /a}]}").contains("tls.sni[0]"));
        assertTrue(problem("tls: {reloadInterval: 0s}").contains("tls.reloadInterval"));
    }
}
