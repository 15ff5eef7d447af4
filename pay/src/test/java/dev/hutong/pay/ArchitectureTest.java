package dev.hutong.pay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN §1 for the two domain modules built here: one-way dependencies, no HTTP. */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.hutong.identity", "dev.hutong.pay");

  @Test
  void identityDependsOnLedgerAndDbOnly() {
    classes().that().resideInAPackage("dev.hutong.identity..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.hutong.identity..",
            "dev.hutong.ledger..", "dev.hutong.db..", "java..", "javax.sql..", "org.jdbi..",
            "at.favre.lib..", "org.slf4j..")
        .check(CLASSES);
  }

  @Test
  void payDependsOnLedgerIdentityAndDbOnly() {
    classes().that().resideInAPackage("dev.hutong.pay..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.hutong.pay..",
            "dev.hutong.identity..", "dev.hutong.ledger..", "dev.hutong.db..", "java..",
            "javax.sql..", "org.jdbi..", "org.slf4j..")
        .check(CLASSES);
  }

  @Test
  void domainModulesKnowNoHttp() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net.http..",
            "io.helidon..", "jakarta.servlet..", "javax.servlet..", "com.sun.net.httpserver..")
        .check(CLASSES);
  }
}
