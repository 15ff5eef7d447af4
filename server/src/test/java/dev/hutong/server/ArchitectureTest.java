package dev.hutong.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.hutong.db.archfixture.DbClassThatKnowsTheServer;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module dependency table of DESIGN.md §1, enforced on every dev.hutong class on the test
 * classpath. A module that is not in the table fails the test, so a new module has to be added
 * here, with its allowed dependencies, before it can exist.
 *
 * <p>Public and non-final so the cli module, whose test classpath holds every module (bench and
 * cli included), runs the same rules by extending this class.
 */
public class ArchitectureTest {
  /** Module → the other hutong modules its classes may use. */
  static final Map<String, Set<String>> ALLOWED_DEPENDENCIES = Map.ofEntries(
      Map.entry("db", Set.of()),
      Map.entry("ledger", Set.of("db")),
      Map.entry("identity", Set.of("ledger", "db")),
      Map.entry("pay", Set.of("ledger", "identity", "db")),
      Map.entry("openapi", Set.of("pay", "identity", "miniapp", "db")),
      Map.entry("miniapp", Set.of("identity", "db")),
      Map.entry("booking", Set.of("pay", "ledger", "db")),
      Map.entry("server", Set.of("ledger", "identity", "pay", "openapi", "miniapp", "booking",
          "db")),
      Map.entry("bench", Set.of("ledger", "pay", "openapi", "server", "db")),
      Map.entry("cli", Set.of("server", "bench", "miniapp", "db")));

  /** Modules that hold the domain: none of them may know HTTP (DESIGN.md §1). */
  static final Set<String> DOMAIN_MODULES =
      Set.of("db", "ledger", "identity", "pay", "openapi", "miniapp", "booking");

  /** Main classes only: test classes (and test jars of other modules) may cross the lines. */
  private static final ImportOption MAIN_CLASSES_ONLY = location ->
      new ImportOption.DoNotIncludeTests().includes(location)
          && !location.contains("-tests.jar");

  private static final JavaClasses HUTONG_CLASSES = new ClassFileImporter()
      .withImportOption(MAIN_CLASSES_ONLY)
      .importPackages("dev.hutong");

  @Test
  public void everyModuleDependsOnlyOnTheModulesTheTableAllows() {
    modulesDependOnlyOnAllowedModules().check(HUTONG_CLASSES);
  }

  @Test
  public void noDomainModuleKnowsHttp() {
    domainModulesDoNotKnowHttp().check(HUTONG_CLASSES);
  }

  @Test
  public void theRulesSeeTheModulesOnTheClasspath() {
    Set<String> modules = HUTONG_CLASSES.stream()
        .map(c -> moduleOf(c.getPackageName()))
        .collect(Collectors.toSet());
    assertThat(modules).contains("db", "server");
  }

  @Test
  public void aForbiddenDependencyIsReported() {
    JavaClasses fixture = new ClassFileImporter().importClasses(DbClassThatKnowsTheServer.class);
    EvaluationResult modules = modulesDependOnlyOnAllowedModules().evaluate(fixture);
    assertThat(modules.hasViolation()).isTrue();
    assertThat(modules.getFailureReport().getDetails()).anySatisfy(line ->
        assertThat(line).contains("module db may not depend on module server"));
    EvaluationResult http = domainModulesDoNotKnowHttp().evaluate(fixture);
    assertThat(http.hasViolation()).isTrue();
  }

  static ArchRule modulesDependOnlyOnAllowedModules() {
    return classes().that().resideInAPackage("dev.hutong..")
        .should(dependOnlyOnAllowedModules())
        .allowEmptyShould(true);
  }

  static ArchRule domainModulesDoNotKnowHttp() {
    String[] domainPackages = DOMAIN_MODULES.stream()
        .map(module -> "dev.hutong." + module + "..")
        .toArray(String[]::new);
    return noClasses().that().resideInAnyPackage(domainPackages)
        .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "java.net.http..")
        .because("nothing in a domain module knows HTTP (DESIGN.md §1)")
        .allowEmptyShould(true);
  }

  private static ArchCondition<JavaClass> dependOnlyOnAllowedModules() {
    return new ArchCondition<>("depend only on the hutong modules the dependency table allows") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        String from = moduleOf(javaClass.getPackageName());
        Set<String> allowed = ALLOWED_DEPENDENCIES.get(from);
        if (allowed == null) {
          events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName()
              + " is in module '" + from + "', which is not in the dependency table of "
              + ArchitectureTest.class.getSimpleName() + "; add it with its allowed modules"));
          return;
        }
        for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
          String targetPackage = dependency.getTargetClass().getBaseComponentType().getPackageName();
          if (!targetPackage.startsWith("dev.hutong.")) {
            continue;
          }
          String to = moduleOf(targetPackage);
          if (!to.equals(from) && !allowed.contains(to)) {
            events.add(SimpleConditionEvent.violated(dependency, "module " + from
                + " may not depend on module " + to + ": " + dependency.getDescription()));
          }
        }
      }
    };
  }

  /** "dev.hutong.ledger.internal" → "ledger"; "dev.hutong" → "". */
  static String moduleOf(String packageName) {
    String prefix = "dev.hutong.";
    if (!packageName.startsWith(prefix)) {
      return "";
    }
    String rest = packageName.substring(prefix.length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
