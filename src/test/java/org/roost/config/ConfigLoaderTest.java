package org.roost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The config file and environment overrides: defaults, clear errors naming the key path, no surprises. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private RoostConfig load(String yaml) throws IOException, ConfigException {
        return load(yaml, Map.of());
    }

    private RoostConfig load(String yaml, Map<String, String> env) throws IOException, ConfigException {
        var file = dir.resolve("roost.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file, env);
    }

    private String error(String yaml) throws IOException {
        return error(yaml, Map.of());
    }

    private String error(String yaml, Map<String, String> env) throws IOException {
        return assertThrows(ConfigException.class, () -> load(yaml, env)).getMessage();
    }

    @Test
    void noFileGivesTheEmbeddedDefaults() throws ConfigException {
        var c = new ConfigLoader().load(null, Map.of());
        assertEquals(Path.of("roost-data"), c.data());
        assertEquals(new RoostConfig.Listener("127.0.0.1", 1143, true), c.listeners().imap());
        assertEquals(new RoostConfig.Listener("127.0.0.1", 1993, true), c.listeners().imaps());
        assertEquals(new RoostConfig.Listener("127.0.0.1", 1110, false), c.listeners().pop3());
        assertEquals(new RoostConfig.Listener("127.0.0.1", 1995, false), c.listeners().pop3s());
        assertFalse(c.listeners().lmtp().enabled());
        assertEquals(8080, c.admin().port());
        assertEquals(List.of("127.0.0.0/8", "::1/128"), c.auth().secureNetworks());
        assertEquals(Path.of("roost-data", "passwd"), c.auth().passwdFile(), "passwd-file derives from data");
        assertTrue(c.mail().location().startsWith("maildir:"), c.mail().location());
        assertTrue(c.mail().location().endsWith("/mail/%u"), c.mail().location());
        assertTrue(c.limits().idleTimeout().compareTo(Duration.ofMinutes(30)) >= 0);
        assertEquals(1024, c.limits().maxListPatternLength());
        assertEquals(32, c.limits().maxListWildcards());
        assertEquals(64, c.limits().maxSearchDepth());
        assertEquals(30, c.limits().maxIdParameters());
        assertEquals(256, c.limits().maxFetchHeaderFields());
        assertEquals(10, c.limits().maxSaslRounds());
        assertEquals(1000, c.limits().maxThreadDepth());
        assertEquals(1000, c.limits().maxNotifyMailboxes());
        assertEquals(1000, c.limits().maxNotifyPending());
        assertEquals(10, c.limits().maxSearchContexts());
        assertEquals(10, c.pop3().maxInvalidCommands());
        assertEquals(3, c.pop3().maxOverlongLines());
    }

    @Test
    void emptyFileIsValid() throws Exception {
        assertEquals(1993, load("").listeners().imaps().port());
    }

    @Test
    void fileValuesOverrideDefaultsAndKeepTheRest() throws Exception {
        var c = load("""
                data: /srv/roost
                listeners:
                  imaps: {address: "::", port: 993}
                auth:
                  secureNetworks: [10.0.0.0/8]
                limits:
                  idleTimeout: 45m
                  preAuthTimeout: 500ms
                  shutdownDrain: PT2S
                """);
        assertEquals(Path.of("/srv/roost"), c.data());
        assertEquals(new RoostConfig.Listener("::", 993, true), c.listeners().imaps());
        assertEquals(1143, c.listeners().imap().port(), "unrelated listener keeps its default");
        assertEquals(List.of("10.0.0.0/8"), c.auth().secureNetworks());
        assertEquals(Duration.ofMinutes(45), c.limits().idleTimeout());
        assertEquals(Duration.ofMillis(500), c.limits().preAuthTimeout());
        assertEquals(Duration.ofSeconds(2), c.limits().shutdownDrain());
        assertEquals(Path.of("/srv/roost/passwd"), c.auth().passwdFile());
        assertEquals("maildir:/srv/roost/mail/%u", c.mail().location());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            listeners: {imap: {prot: 143}}          | listeners.imap.prot
            listners: {}                            | listners
            admin: {tokn: x}                        | admin.tokn
            limits: {maxLineLenght: 2000}           | limits.maxLineLenght
            tls: {certificate: /a, key: /b, ca: /c} | tls.ca
            """)
    void unknownKeyIsNamedByItsPath(String yaml, String path) throws IOException {
        var message = error(yaml);
        assertTrue(message.startsWith(path + ": unknown key"), message);
    }

    @Test
    void unknownKeyListsTheKnownOnes() throws IOException {
        var message = error("listeners: {imap: {prot: 143}}");
        assertTrue(message.contains("address, enabled, path, port, proxyProtocol"), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            listeners: {imaps: {port: 70000}}               | listeners.imaps.port: must be between 0 and 65535
            listeners: {imap: {port: -1}}                   | listeners.imap.port: must be between 0 and 65535
            admin: {port: 65536}                            | admin.port: must be between 0 and 65535
            listeners: {imap: {address: 300.1.1.1}}         | listeners.imap.address:
            listeners: {imap: {address: mail.example.com}}  | listeners.imap.address:
            admin: {address: ''}                            | admin.address:
            auth: {secureNetworks: [10.0.0.0/33]}           | auth.secureNetworks[0]: prefix length out of range
            auth: {secureNetworks: ['::1/128', 10.0.0/x]} | auth.secureNetworks[1]:
            auth: {secureNetworks: [not-a-net]}             | auth.secureNetworks[0]: 'not-a-net' is not an IP address
            limits: {idleTimeout: 29m}                      | limits.idleTimeout: must be at least 30m
            limits: {idleTimeout: 10s}                      | limits.idleTimeout: must be at least 30m
            limits: {maxConnections: 0}                     | limits.maxConnections: must be positive
            limits: {maxLineLength: 100}                    | limits.maxLineLength: must be at least 1024
            limits: {maxListPatternLength: 255}             | limits.maxListPatternLength: must be at least 256
            limits: {maxListWildcards: 0}                   | limits.maxListWildcards: must be positive
            limits: {maxSearchDepth: 0}                     | limits.maxSearchDepth: must be between 1 and 1000
            limits: {maxSearchDepth: 1001}                  | limits.maxSearchDepth: must be between 1 and 1000
            limits: {maxIdParameters: 0}                    | limits.maxIdParameters: must be between 1 and 1000
            limits: {maxIdParameters: 1001}                 | limits.maxIdParameters: must be between 1 and 1000
            limits: {maxFetchHeaderFields: 0}               | limits.maxFetchHeaderFields: must be between 1 and 10000
            limits: {maxFetchHeaderFields: 10001}           | limits.maxFetchHeaderFields: must be between 1 and 10000
            limits: {maxSaslRounds: 0}                      | limits.maxSaslRounds: must be between 1 and 100
            limits: {maxSaslRounds: 101}                    | limits.maxSaslRounds: must be between 1 and 100
            limits: {maxThreadDepth: 9}                     | limits.maxThreadDepth: must be between 10 and 100000
            limits: {maxThreadDepth: 100001}                | limits.maxThreadDepth: must be between 10 and 100000
            limits: {maxNotifyMailboxes: 0}                 | limits.maxNotifyMailboxes: must be between 1 and 100000
            limits: {maxNotifyPending: 9}                   | limits.maxNotifyPending: must be between 10 and 1000000
            limits: {maxSearchContexts: 0}                  | limits.maxSearchContexts: must be between 1 and 1000
            pop3: {maxInvalidCommands: 0}                   | pop3.maxInvalidCommands: must be between 1 and 1000
            pop3: {maxInvalidCommands: 1001}                | pop3.maxInvalidCommands: must be between 1 and 1000
            pop3: {maxOverlongLines: 0}                     | pop3.maxOverlongLines: must be between 1 and 100
            pop3: {maxOverlongLines: 101}                   | pop3.maxOverlongLines: must be between 1 and 100
            limits: {shutdownDrain: soon}                   | limits.shutdownDrain:
            limits: {reconnectGrace: 1m}                    | limits.reconnectGrace: must be between 0 and 30s
            limits: {reconnectGrace: PT-1S}                 | limits.reconnectGrace: must be between 0 and 30s
            mail: {location: 'mdbox:/var/mail/%u'}          | mail.location: 'mdbox:/var/mail/%u' must start with one of
            mail: {location: 'maildir:/m/%u:INDEX=/i/%u'}   | mail.location: option INDEX is not for maildir locations (they take none)
            mail: {location: 'mbox:/m/%u:LAYOUT=fs'}        | mail.location: option LAYOUT is not for mbox locations (they take [INBOX, INDEX])
            mail: {mbox: {writeLocks: [dotlock, lockf]}}    | mail.mbox.writeLocks[1]: unknown lock method 'lockf'
            mail: {mbox: {readLocks: [fcntl, fcntl]}}       | mail.mbox.readLocks[1]: 'fcntl' is named twice
            mail: {mbox: {lockTimeout: 10ms}}               | mail.mbox.lockTimeout: must be between 100ms and 1h
            mail: {mbox: {dotlockStale: 2h}}                | mail.mbox.dotlockStale: must be between 5s and 1h
            mail: {location: 'maildir:'}                    | mail.location: the path after 'maildir:' is empty
            mail: {location: '/var/mail/%u'}                | mail.location:
            mail: {location: 'maildir:~/Maildir'}           | mail.allowedRoots: mail.location 'maildir:~/Maildir' starts with the user's home
            mail: {location: 'maildir:%h/mail'}             | mail.allowedRoots: mail.location 'maildir:%h/mail' starts with the user's home
            mail: {allowedRoots: [vmail]}                   | mail.allowedRoots: must be a list of absolute directories
            tls: {certificate: /etc/cert.pem}               | tls: certificate and key must be given together
            listeners: {imap: {port: many}}                 | listeners.imap.port:
            listeners: {imap: {enabled: maybe}}             | listeners.imap.enabled:
            index: {maxHeldExpunged: -1}                    | index.maxHeldExpunged: must be between 0 and 100000
            index: {maxHeldExpunged: 100001}                | index.maxHeldExpunged: must be between 0 and 100000
            index: {fileLookupThreads: 0}                   | index.fileLookupThreads: must be between 1 and 256
            index: {fileLookupThreads: 257}                 | index.fileLookupThreads: must be between 1 and 256
            index: {maxOpenFiles: -1}                       | index.maxOpenFiles: must be 0 (a quarter of the process limit) or at least 16
            index: {maxOpenFiles: 15}                       | index.maxOpenFiles: must be 0 (a quarter of the process limit) or at least 16
            index: {sortRunBytes: 65535}                    | index.sortRunBytes: must be between 65536 and 268435456
            index: {sortRunBytes: 268435457}                | index.sortRunBytes: must be between 65536 and 268435456
            """)
    void badValueIsNamedByItsPathWithTheReason(String yaml, String expectedStart) throws IOException {
        var message = error(yaml);
        assertTrue(message.lines().anyMatch(l -> l.startsWith(expectedStart)),
                "expected a line starting with <" + expectedStart + "> in:\n" + message);
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        var message = error("""
                listeners: {imap: {port: 70000}}
                limits: {idleTimeout: 1m}
                """);
        assertTrue(message.contains("listeners.imap.port"), message);
        assertTrue(message.contains("limits.idleTimeout"), message);
    }

    @Test
    void lmtpListensOnTcpOrOnAUnixSocket() throws Exception {
        var tcp = load("listeners: {lmtp: {address: '::', port: 2000, enabled: true}}").listeners().lmtp();
        assertTrue(tcp.enabled());
        assertFalse(tcp.unixSocket());
        assertEquals(2000, tcp.port());
        var unix = load("listeners: {lmtp: {enabled: true, path: /run/roost/lmtp}}").listeners().lmtp();
        assertTrue(unix.unixSocket());
        assertEquals("/run/roost/lmtp", unix.path());
        assertTrue(load("", Map.of("ROOST_LISTENERS_LMTP_PATH", "/x/lmtp")).listeners().lmtp().unixSocket());
    }

    @Test
    void onlyLmtpListensOnAUnixSocket() throws IOException {
        var message = error("listeners: {imap: {path: /tmp/imap.sock}}");
        assertTrue(message.startsWith("listeners.imap.path: only [lmtp] can listen on a UNIX socket"), message);
        assertTrue(error("listeners: {lmtp: {path: /tmp/l, proxyProtocol: true}}")
                .startsWith("listeners.lmtp.proxyProtocol:"));
    }

    @Test
    void deliveryAndQuotaValuesAreChecked() throws IOException {
        var message = error("""
                delivery: {recipientDelimiter: "@", maxMessageSize: 10, maxRecipients: 0, timeout: 0s, hostname: "a b"}
                quota: {storage: 12X, messages: -1, warnings: [0, 101], warningFrom: nobody}
                """);
        for (var key : List.of("delivery.recipientDelimiter", "delivery.maxMessageSize", "delivery.maxRecipients",
                "delivery.timeout", "delivery.hostname", "quota.storage", "quota.messages", "quota.warnings",
                "quota.warningFrom")) {
            assertTrue(message.lines().anyMatch(l -> l.startsWith(key + ":")), key + " in:\n" + message);
        }
    }

    @Test
    void specialMailboxesAreReadAsDocumentedAndChecked() throws Exception {
        var special = load("""
                mailboxes:
                  special:
                    - {name: Drafts,  use: \\Drafts,  auto: no}
                    - {name: "Sent Items", use: '\\Sent \\Archive', auto: subscribe}
                """).mailboxes().special();
        assertEquals(List.of(new RoostConfig.SpecialMailbox("Drafts", "\\Drafts", "false"),
                new RoostConfig.SpecialMailbox("Sent Items", "\\Sent \\Archive", "subscribe")), special,
                "YAML reads a bare no as false, which means no");
        assertEquals(List.of(), load("mailboxes: {special: []}").mailboxes().special());
        var message = error("""
                mailboxes:
                  special:
                    - {name: "", use: \\Sent, auto: no}
                    - {name: All, use: \\All, auto: create}
                    - {name: Junk, use: \\Junk, auto: sometimes}
                    - {name: Junk, use: "", auto: no}
                    - {name: "a*", use: \\Trash, auto: no}
                """);
        for (var key : List.of("mailboxes.special[0].name", "mailboxes.special[1].use", "mailboxes.special[2].auto",
                "mailboxes.special[3].name", "mailboxes.special[3].use", "mailboxes.special[4].name")) {
            assertTrue(message.lines().anyMatch(l -> l.startsWith(key + ":")), key + " in:\n" + message);
        }
        var many = new StringBuilder("mailboxes:\n  special:\n");
        for (int i = 0; i <= 64; i++) {
            many.append("    - {name: m").append(i).append(", use: \\Junk, auto: no}\n");
        }
        assertTrue(error(many.toString()).startsWith("mailboxes.special: at most 64 mailboxes"));
    }

    @Test
    void sieveValuesAreChecked() throws Exception {
        var message = error("""
                sieve: {maxScriptSize: 10, maxScripts: 0, maxActions: 0, maxRedirects: -1, maxCpuTime: 0s,
                        maxIncludeDepth: 99, before: [relative.sieve], after: [also/relative.sieve], global: relative, relay: "smtp",
                        relayTimeout: 1h, vacationDays: 100, vacationMaxDays: 0, cacheSize: -1, maxBodyText: 1}
                """);
        for (var key : List.of("sieve.maxScriptSize", "sieve.maxScripts", "sieve.maxActions", "sieve.maxRedirects",
                "sieve.maxCpuTime", "sieve.maxIncludeDepth", "sieve.before", "sieve.after", "sieve.global",
                "sieve.relay", "sieve.relayTimeout", "sieve.vacationDays", "sieve.vacationMaxDays", "sieve.cacheSize",
                "sieve.maxBodyText")) {
            assertTrue(message.lines().anyMatch(l -> l.startsWith(key + ":")), key + " in:\n" + message);
        }
        var sieve = load("data: /srv/roost\nsieve: {relay: \"[::1]:587\"}").sieve();
        assertEquals(Path.of("/srv/roost/sieve"), sieve.homes(), "users without a home keep scripts under DATA/sieve");
        assertEquals("[::1]:587", sieve.relay());
    }

    @Test
    void quotaStorageTakesSizes() throws Exception {
        assertEquals("1G", load("quota: {storage: 1G}").quota().storage());
        assertEquals(1L << 30, DataSize.parse("1G", 1));
        assertEquals(1024L * 500, DataSize.parse("500k", 1));
        assertEquals(2048, DataSize.parse("2", 1024));
        assertThrows(IllegalArgumentException.class, () -> DataSize.parse("99999999999999999999", 1));
        assertThrows(IllegalArgumentException.class, () -> DataSize.parse("9999999999T", 1));
    }

    @Test
    void syntaxErrorNamesTheFileAndLine() throws IOException {
        var message = error("listeners:\n  imap: {port: 1\n");
        assertTrue(message.startsWith("config file "), message);
        assertTrue(message.contains("line "), message);
    }

    @Test
    void topLevelMustBeAMapping() throws IOException {
        assertTrue(error("- a\n- b\n").contains("the top level must be a mapping"));
    }

    @Test
    void missingFileIsAConfigError() {
        var e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(dir.resolve("nope.yaml"), Map.of()));
        assertTrue(e.getMessage().endsWith("not found"), e.getMessage());
    }

    @Test
    void duplicateKeysAreRejected() throws IOException {
        var message = error("admin: {port: 1}\nadmin: {port: 2}\n");
        assertTrue(message.contains("admin"), message);
    }

    // ---- environment overrides: ROOST_ + path upper-cased, '_' between levels

    @Test
    void environmentOverridesTheFile() throws Exception {
        var c = load("listeners: {imaps: {port: 993}}", Map.of(
                "ROOST_LISTENERS_IMAPS_PORT", "2993",
                "ROOST_LISTENERS_IMAP_ADDRESS", "::1",
                "ROOST_ADMIN_TOKEN", "s3cret",
                "ROOST_LIMITS_IDLETIMEOUT", "1h",
                "ROOST_DATA", "/tmp/roost-env"));
        assertEquals(2993, c.listeners().imaps().port());
        assertEquals("::1", c.listeners().imap().address());
        assertEquals("s3cret", c.admin().token());
        assertEquals(Duration.ofHours(1), c.limits().idleTimeout());
        assertEquals(Path.of("/tmp/roost-env"), c.data());
    }

    @Test
    void environmentSetsKeysWhoseDefaultIsAbsent() throws Exception {
        var c = load("", Map.of(
                "ROOST_TLS_CERTIFICATE", "/etc/roost/cert.pem",
                "ROOST_TLS_KEY", "/etc/roost/key.pem",
                "ROOST_AUTH_PASSWDFILE", "/etc/roost/passwd",
                "ROOST_MAIL_LOCATION", "maildir:/var/mail/%u"));
        assertEquals(Path.of("/etc/roost/cert.pem"), c.tls().certificate());
        assertEquals(Path.of("/etc/roost/key.pem"), c.tls().key());
        assertEquals(Path.of("/etc/roost/passwd"), c.auth().passwdFile());
        assertEquals("maildir:/var/mail/%u", c.mail().location());
    }

    @Test
    void environmentListIsCommaSeparated() throws Exception {
        var c = load("", Map.of("ROOST_AUTH_SECURENETWORKS", "10.0.0.0/8, 192.168.1.0/24,::1/128"));
        assertEquals(List.of("10.0.0.0/8", "192.168.1.0/24", "::1/128"), c.auth().secureNetworks());
    }

    @Test
    void emptyEnvironmentListMeansNoNetwork() throws Exception {
        assertEquals(List.of(), load("", Map.of("ROOST_AUTH_SECURENETWORKS", "")).auth().secureNetworks());
    }

    @Test
    void badEnvironmentValueIsNamedByItsPath() throws IOException {
        assertTrue(error("", Map.of("ROOST_LISTENERS_IMAPS_PORT", "70000")).startsWith("listeners.imaps.port:"));
        assertTrue(error("", Map.of("ROOST_LISTENERS_IMAPS_PORT", "abc")).startsWith("listeners.imaps.port:"));
        assertTrue(error("", Map.of("ROOST_AUTH_SECURENETWORKS", "10.0.0.0/99")).startsWith("auth.secureNetworks[0]:"));
        assertTrue(error("", Map.of("ROOST_QUOTA_MESSAGES", "x")).startsWith("quota.messages:"));
    }

    @Test
    void unrelatedEnvironmentIsIgnored() throws Exception {
        var c = load("", Map.of("ROOST_NO_SUCH_KEY", "1", "PATH", "/usr/bin", "HOME", "/root"));
        assertEquals(1993, c.listeners().imaps().port());
    }

    @Test
    void keysAreCaseSensitiveInTheFile() throws IOException {
        assertTrue(error("Listeners: {}").startsWith("Listeners: unknown key"));
    }

    @Test
    void fullTextKeysHaveSafeDefaultsAndBounds() throws IOException, ConfigException {
        var f = load("").fts();
        assertTrue(f.enabled());
        assertEquals(10_000, f.queueBound());
        assertEquals(Duration.ofSeconds(10), f.attachmentTimeout());
        assertEquals(8L << 30, f.maxIndexBytesPerUser());
        assertEquals(Duration.ofSeconds(30), f.commitInterval());
        assertEquals(Duration.ofMillis(500), f.refreshInterval());
        assertEquals(f.maxTextChars(), f.positionedChars(), "positions for all the text indexed unless asked");
        var custom = load("fts: {enabled: false, attachmentTimeout: 2s, maxTextChars: 4096, maxIndexBytesPerUser: 2097152,"
                + " commitInterval: 0s, refreshInterval: 0s, positionedChars: 2048}").fts();
        assertEquals(2048, custom.positionedChars());
        assertEquals(Duration.ZERO, custom.commitInterval());
        assertEquals(Duration.ZERO, custom.refreshInterval());
        assertEquals(2 * 1024 * 1024, custom.maxIndexBytesPerUser());
        assertFalse(custom.enabled());
        assertEquals(Duration.ofSeconds(2), custom.attachmentTimeout());
        assertEquals(4096, custom.maxTextChars());
        var problems = error("fts: {queueBound: 0, maxOpenIndexes: 0, ramBufferBytes: 10, maxTextChars: 5, attachmentTimeout: 0s,"
                + " attachmentThreads: 0, maxAttachmentBytes: -1, maxIndexBytesPerUser: 1000, commitInterval: 2h,"
                + " refreshInterval: 2m, positionedChars: 1023}");
        for (var key : List.of("fts.queueBound", "fts.maxOpenIndexes", "fts.ramBufferBytes", "fts.maxTextChars", "fts.attachmentTimeout",
                "fts.attachmentThreads", "fts.maxAttachmentBytes", "fts.maxIndexBytesPerUser", "fts.commitInterval",
                "fts.refreshInterval", "fts.positionedChars")) {
            assertTrue(problems.contains(key + ":"), key + " in " + problems);
        }
    }

    @Test
    void imapKeysHaveSafeDefaultsAndBounds() throws IOException, ConfigException {
        var imap = load("").imap();
        assertEquals(new RoostConfig.Compress(true, 6, 4096), imap.compress());
        assertEquals(Map.of("name", "Roost"), imap.id().fields());
        var custom = load("imap: {compress: {level: 1, history: 0}, id: {fields: {name: ~, vendor: Example, version: '1.2'}}}")
                .imap();
        assertEquals(new RoostConfig.Compress(true, 1, 0), custom.compress());
        assertEquals(Arrays.asList("name", "vendor", "version"), List.copyOf(custom.id().fields().keySet()));
        assertEquals(Arrays.asList(null, "Example", "1.2"), new ArrayList<>(custom.id().fields().values()));
        var problems = error("imap: {compress: {level: 10, history: 40000}, id: {fields: {'': x, name: \"a\\u00e9\","
                + " os: \"line\\r\\nbreak\", " + "x".repeat(31) + ": y}}}");
        for (var key : List.of("imap.compress.level:", "imap.compress.history:", "imap.id.fields:", "imap.id.fields.name:",
                "imap.id.fields.os:")) {
            assertTrue(problems.contains(key), key + " in " + problems);
        }
        assertEquals(2, problems.split("imap.id.fields: field names").length - 1, problems);
    }

    @Test
    void urlauthKeysHaveSafeDefaultsAndBounds() throws IOException, ConfigException {
        assertEquals(new RoostConfig.Urlauth(true, 8192, 100, List.of()), load("").imap().urlauth());
        var custom = load("imap: {urlauth: {enabled: false, maxUrlLength: 256, maxUrls: 1, submitUsers: [submit]}}")
                .imap().urlauth();
        assertEquals(new RoostConfig.Urlauth(false, 256, 1, List.of("submit")), custom);
        var problems = error("imap: {urlauth: {maxUrlLength: 255, maxUrls: 0, submitUsers: ['', \"a\\tb\"]}}");
        for (var key : List.of("imap.urlauth.maxUrlLength:", "imap.urlauth.maxUrls:", "imap.urlauth.submitUsers:")) {
            assertTrue(problems.contains(key), key + " in " + problems);
        }
        assertTrue(error("imap: {urlauth: {maxUrlLength: 65537, maxUrls: 10001}}").contains("imap.urlauth.maxUrls:"));
    }

    @Test
    void binaryBoundsHaveSafeDefaultsAndBounds() throws IOException, ConfigException {
        var limits = load("").limits();
        assertEquals(List.of(65536, 65536), List.of(limits.binaryDecodeBuffer(), limits.maxBinaryPartHeader()));
        var custom = load("limits: {binaryDecodeBuffer: 4096, maxBinaryPartHeader: 1024}").limits();
        assertEquals(List.of(4096, 1024), List.of(custom.binaryDecodeBuffer(), custom.maxBinaryPartHeader()));
        for (var bad : List.of("limits: {binaryDecodeBuffer: 4095, maxBinaryPartHeader: 1023}",
                "limits: {binaryDecodeBuffer: 1048577, maxBinaryPartHeader: 65537}")) {
            var problems = error(bad);
            assertTrue(problems.contains("limits.binaryDecodeBuffer:"), problems);
            assertTrue(problems.contains("limits.maxBinaryPartHeader:"), problems);
        }
    }
}
