package org.roost;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rooms of DESIGN.md, as the compiled classes have them. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMain() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.roost");
    }

    /** Every package is a slice, so a subpackage and its parent ({@code imap} and {@code imap.fetch}) count too. */
    @Test
    void noPackageCycles() {
        slices().matching("org.roost.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void nothingBelowImportsAnythingAbove() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("server").definedBy("org.roost.server..")
                .layer("admin").definedBy("org.roost.admin..")
                .layer("protocols").definedBy("org.roost.imap..", "org.roost.pop3..", "org.roost.lmtp..",
                        "org.roost.managesieve..")
                .layer("delivery").definedBy("org.roost.delivery..")
                .layer("sieve").definedBy("org.roost.sieve..")
                .layer("session").definedBy("org.roost.session..")
                .layer("metrics").definedBy("org.roost.metrics..")
                .layer("fts").definedBy("org.roost.fts..")
                .layer("auth").definedBy("org.roost.auth..")
                .layer("index").definedBy("org.roost.index..")
                .layer("acl").definedBy("org.roost.acl..")
                .layer("net").definedBy("org.roost.net..")
                .layer("storage").definedBy("org.roost.storage..")
                .layer("mail").definedBy("org.roost.mail..")
                .layer("config").definedBy("org.roost.config..")
                .whereLayer("server").mayNotBeAccessedByAnyLayer()
                .whereLayer("admin").mayOnlyBeAccessedByLayers("server")
                .whereLayer("protocols").mayOnlyBeAccessedByLayers("server")
                .whereLayer("delivery").mayOnlyBeAccessedByLayers("server", "protocols")
                .whereLayer("sieve").mayOnlyBeAccessedByLayers("server", "protocols", "delivery", "metrics")
                .whereLayer("session").mayOnlyBeAccessedByLayers("server", "protocols")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("server", "admin", "protocols", "session")
                .whereLayer("fts").mayOnlyBeAccessedByLayers("server", "admin", "protocols", "session", "metrics")
                .whereLayer("auth").mayOnlyBeAccessedByLayers("server", "protocols", "session", "metrics")
                .whereLayer("index").mayOnlyBeAccessedByLayers("server", "protocols", "delivery", "session", "metrics",
                        "fts")
                .whereLayer("net").mayOnlyBeAccessedByLayers("server", "admin", "protocols", "session", "metrics",
                        "index")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("server", "index", "metrics")
                .whereLayer("acl").mayOnlyBeAccessedByLayers("server", "admin", "protocols", "session", "index")
                .check(classes);
    }

    @Test
    void storageKnowsNoProtocol() {
        noClasses().that().resideInAPackage("org.roost.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("org.roost.imap..", "org.roost.pop3..",
                        "org.roost.lmtp..", "org.roost.managesieve..", "org.roost.delivery..", "org.roost.session..", "org.roost.net..",
                        "org.roost.index..")
                .check(classes);
    }

    @Test
    void protocolsReachStorageOnlyThroughTheIndex() {
        noClasses().that().resideInAnyPackage("org.roost.imap..", "org.roost.pop3..", "org.roost.lmtp..",
                        "org.roost.managesieve..", "org.roost.delivery..", "org.roost.session..")
                .should().dependOnClassesThat().resideInAPackage("org.roost.storage..")
                .check(classes);
    }

    /** The wire layer (reader, grammar, values, encoders) cannot reach a mailbox or a session, nor run a command. */
    @Test
    void theImapProtocolLayerStandsApartFromExecution() {
        noClasses().that().resideInAPackage("org.roost.imap.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("org.roost.imap", "org.roost.imap.command..",
                        "org.roost.imap.fetch..", "org.roost.imap.search..", "org.roost.index..", "org.roost.storage..",
                        "org.roost.session..", "org.roost.auth..", "org.roost.metrics..")
                .check(classes);
    }

    /** Executors get a context; only the session package wires them and knows the session. */
    @Test
    void executorsDoNotCallBackIntoTheSession() {
        noClasses().that().resideInAnyPackage("org.roost.imap.command..", "org.roost.imap.fetch..",
                        "org.roost.imap.search..")
                .should().dependOnClassesThat().resideInAPackage("org.roost.imap")
                .check(classes);
    }
}
