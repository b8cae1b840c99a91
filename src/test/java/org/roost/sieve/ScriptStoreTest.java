package org.roost.sieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.RoostConfig;
import org.roost.sieve.ScriptStore.Listing;
import org.roost.sieve.ScriptStoreException.Reason;

class ScriptStoreTest {
    @TempDir
    Path home;

    private ScriptStore store() {
        return new ScriptStore(home, 1000, 3, true);
    }

    private static ScriptName name(String value) {
        return new ScriptName(value);
    }

    @Test
    void writesScriptsAndActivatesThemWithPigeonholesLink() throws Exception {
        var store = store();
        store.write(name("vacation"), "keep;\n");
        store.write(name("main"), "discard;\n");
        store.activate(name("main"));
        assertEquals(Path.of("sieve/main.sieve"), Files.readSymbolicLink(home.resolve(".dovecot.sieve")));
        assertEquals("discard;\n", Files.readString(home.resolve("sieve/main.sieve")));
        assertEquals(List.of(new Listing("main", true), new Listing("vacation", false)), store.list());
        assertEquals(Optional.of(home.resolve(".dovecot.sieve")), store.activeScript());
        store.activate(name("vacation"));
        assertEquals(Optional.of("vacation"), store.activeName());
        store.deactivate();
        assertFalse(Files.exists(home.resolve(".dovecot.sieve"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(Optional.empty(), store.activeScript());
    }

    @Test
    void theActiveScriptCannotBeDeletedAndRenamingKeepsItActive() throws Exception {
        var store = store();
        store.write(name("a"), "keep;");
        store.activate(name("a"));
        assertEquals(Reason.ACTIVE, assertThrows(ScriptStoreException.class, () -> store.delete(name("a"))).reason());
        store.rename(name("a"), name("b"));
        assertEquals(List.of(new Listing("b", true)), store.list());
        store.write(name("c"), "stop;");
        assertEquals(Reason.ALREADY_EXISTS,
                assertThrows(ScriptStoreException.class, () -> store.rename(name("c"), name("b"))).reason());
        assertEquals("stop;", store.read(name("c")));
        store.delete(name("c"));
        assertEquals(Reason.NONEXISTENT, assertThrows(ScriptStoreException.class, () -> store.read(name("c"))).reason());
        assertEquals(Reason.NONEXISTENT,
                assertThrows(ScriptStoreException.class, () -> store.activate(name("c"))).reason());
    }

    @Test
    void limitsTheSizeAndNumberOfScripts() throws Exception {
        var store = store();
        assertEquals(Reason.TOO_LARGE,
                assertThrows(ScriptStoreException.class, () -> store.write(name("big"), "#".repeat(1001))).reason());
        store.write(name("a"), "keep;");
        store.write(name("b"), "keep;");
        store.write(name("c"), "keep;");
        assertEquals(Reason.TOO_MANY_SCRIPTS,
                assertThrows(ScriptStoreException.class, () -> store.write(name("d"), "keep;")).reason());
        store.write(name("c"), "discard;"); // replacing one is no new script
        assertEquals(3, store.list().size());
        try (var files = Files.list(home.resolve("sieve"))) {
            assertEquals(3, files.count(), "no temporary file stays behind");
        }
    }

    @Test
    void readsWhatPigeonholeAndOtherProgramsLeft() throws Exception {
        Files.createDirectories(home.resolve("sieve"));
        Files.writeString(home.resolve("sieve/roundcube.sieve"), "keep;");
        Files.writeString(home.resolve("sieve/.hidden.sieve"), "keep;");
        Files.writeString(home.resolve("sieve/notes.txt"), "not a script");
        // a dangling link activates nothing
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("sieve/gone.sieve"));
        var store = store();
        assertEquals(List.of(new Listing("roundcube", false)), store.list());
        assertEquals(Optional.empty(), store.activeScript());
        // an absolute link into the store counts as active, as Pigeonhole reads it
        Files.delete(home.resolve(".dovecot.sieve"));
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), home.resolve("sieve/roundcube.sieve"));
        assertEquals(Optional.of("roundcube"), store.activeName());
        // a link out of the store runs, but lists no script as active
        Files.writeString(home.resolve("elsewhere.sieve"), "discard;");
        Files.delete(home.resolve(".dovecot.sieve"));
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("elsewhere.sieve"));
        assertEquals(Optional.empty(), store.activeName());
        assertTrue(store.activeScript().isPresent());
    }

    @Test
    void aRegularActiveFileIsRunAndRescuedWhenAnotherScriptIsActivated() throws Exception {
        Files.writeString(home.resolve(".dovecot.sieve"), "require \"fileinto\"; fileinto \"Old\";");
        var store = store();
        assertEquals(Optional.of(home.resolve(".dovecot.sieve")), store.activeScript());
        assertEquals(List.of(), store.list());
        store.write(name("new"), "keep;");
        store.activate(name("new"));
        assertEquals(List.of(new Listing("dovecot.orig", false), new Listing("new", true)), store.list());
        assertEquals("require \"fileinto\"; fileinto \"Old\";", store.read(name("dovecot.orig")));
    }

    @Test
    void namesFollowRfc5804AndCannotLeaveTheStore() {
        for (var bad : List.of("", ".", "..", "../x", "a/b", ".hidden", "tab\there", "nul\0", "del\u007f",
                "c1\u0085", "line\u2028sep", "x".repeat(250), "\ud800")) {
            assertNotNull(ScriptName.problem(bad), bad);
        }
        for (var good : List.of("main", "Vacation 2024", "filtres été", "a.b", "x".repeat(249), "emoji\ud83d\ude00")) {
            assertNull(ScriptName.problem(good), good);
        }
    }

    @Test
    void usersWithoutAHomeGetADirectoryOfTheirOwnUnderHomes() throws Exception {
        var config = RoostConfig.defaults().sieve();
        var withHomes = new RoostConfig.Sieve(true, home.resolve("homes"), config.maxScriptSize(), config.maxScripts(),
                config.maxActions(), config.maxRedirects(), config.maxCpuTime(), config.maxIncludeDepth(),
                config.before(), config.after(), config.global(), config.relay(), config.relayTimeout(), config.vacationDays(),
                config.vacationMaxDays(), config.cacheSize(), config.maxBodyText(), config.journalWindow(),
                config.journalMaxEntries());
        var stores = new ScriptStores(withHomes, false,
                user -> user.equals("homed") ? Optional.of("/home/homed") : user.equals("evil")
                        ? Optional.of("/home/../etc") : Optional.empty());
        assertEquals(Path.of("/home/homed"), stores.of("homed").home());
        assertEquals(home.resolve("homes/anna@example.org"), stores.of("anna@example.org").home());
        assertEquals(home.resolve("homes/%2E.%2Fetc"), stores.of("../etc").home());
        assertEquals(home.resolve("homes/a%2Fb%25"), stores.of("a/b%").home());
        assertThrows(java.io.IOException.class, () -> stores.of("evil"));
    }
}
