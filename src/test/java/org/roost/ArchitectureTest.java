package org.roost;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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

    @Test
    void nothingBelowImportsAnythingAbove() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("server").definedBy("org.roost.server..")
                .layer("admin").definedBy("org.roost.admin..")
                .layer("protocols").definedBy("org.roost.imap..", "org.roost.pop3..")
                .layer("session").definedBy("org.roost.session..")
                .layer("metrics").definedBy("org.roost.metrics..")
                .layer("net").definedBy("org.roost.net..")
                .layer("auth").definedBy("org.roost.auth..")
                .layer("index").definedBy("org.roost.index..")
                .layer("storage").definedBy("org.roost.storage..")
                .layer("mail").definedBy("org.roost.mail..")
                .layer("config").definedBy("org.roost.config..")
                .whereLayer("server").mayNotBeAccessedByAnyLayer()
                .whereLayer("admin").mayOnlyBeAccessedByLayers("server")
                .whereLayer("protocols").mayOnlyBeAccessedByLayers("server")
                .whereLayer("session").mayOnlyBeAccessedByLayers("server", "protocols")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("server", "admin", "protocols", "session")
                .whereLayer("net").mayOnlyBeAccessedByLayers("server", "admin", "protocols", "session", "metrics")
                .whereLayer("auth").mayOnlyBeAccessedByLayers("server", "protocols", "session", "metrics")
                .whereLayer("index").mayOnlyBeAccessedByLayers("server", "protocols", "session", "metrics")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("server", "index")
                .check(classes);
    }

    @Test
    void storageKnowsNoProtocol() {
        noClasses().that().resideInAPackage("org.roost.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("org.roost.imap..", "org.roost.pop3..",
                        "org.roost.session..", "org.roost.net..", "org.roost.index..")
                .check(classes);
    }

    @Test
    void protocolsReachStorageOnlyThroughTheIndex() {
        noClasses().that().resideInAnyPackage("org.roost.imap..", "org.roost.pop3..", "org.roost.session..")
                .should().dependOnClassesThat().resideInAPackage("org.roost.storage..")
                .check(classes);
    }

    @Test
    void theImapGrammarCannotReachTheMail() {
        noClasses().that().resideInAPackage("org.roost.imap.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("org.roost.index..", "org.roost.storage..",
                        "org.roost.session..", "org.roost.auth..")
                .allowEmptyShould(true)
                .check(classes);
    }
}
