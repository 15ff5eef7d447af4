package dev.hutong.miniapp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN §1 for miniapp: it depends on identity and db (and libraries) only, and knows no HTTP. */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.hutong.miniapp");

  @Test
  void miniappDependsOnIdentityAndDbOnly() {
    classes().that().resideInAPackage("dev.hutong.miniapp..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.hutong.miniapp..",
            "dev.hutong.identity..", "dev.hutong.db..", "java..", "javax.imageio..",
            "javax.sql..", "javax.crypto..", "org.jdbi..", "org.slf4j..", "com.fasterxml.jackson..",
            "com.networknt.schema..", "org.apache.lucene..", "com.google.zxing..")
        .check(CLASSES);
  }

  @Test
  void theSearchPackageStandsAlone() {
    noClasses().that().resideInAPackage("dev.hutong.miniapp.search..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.hutong.identity..",
            "dev.hutong.db..", "org.jdbi..")
        .check(CLASSES);
  }

  @Test
  void miniappKnowsNoHttp() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net.http..",
            "io.helidon..", "jakarta.servlet..", "javax.servlet..", "com.sun.net.httpserver..")
        .check(CLASSES);
  }
}
