package dev.hutong.openapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §1 for the openapi module: it depends on pay, identity and (for the alipay.open.mini.*
 * methods, a documented deviation in docs/architecture.md) miniapp, and knows no HTTP.
 */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.hutong.openapi");

  @Test
  void openapiDependsOnPayIdentityMiniappAndDbOnly() {
    classes().that().resideInAPackage("dev.hutong.openapi..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.hutong.openapi..",
            "dev.hutong.pay..", "dev.hutong.identity..", "dev.hutong.miniapp..", "dev.hutong.db..",
            "java..", "javax.sql..", "javax.crypto..", "org.jdbi..", "com.fasterxml.jackson..",
            "org.slf4j..")
        .check(CLASSES);
  }

  @Test
  void theGatewayProtocolLayerKnowsNoDomain() {
    classes().that().resideInAPackage("dev.hutong.openapi.gateway..")
        .should().onlyDependOnClassesThat().resideOutsideOfPackages("dev.hutong.pay..",
            "dev.hutong.identity..", "dev.hutong.ledger..", "dev.hutong.db..", "org.jdbi..",
            "dev.hutong.openapi")
        .check(CLASSES);
  }

  @Test
  void noHttpServerOrClient() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net.http..",
            "io.helidon..", "jakarta.servlet..", "javax.servlet..", "com.sun.net.httpserver..")
        .check(CLASSES);
  }
}
