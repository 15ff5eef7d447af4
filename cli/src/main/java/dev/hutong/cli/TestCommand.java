package dev.hutong.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hutong test}: the whole build with every test, as CI runs it. The ./hutong launcher
 * runs Maven itself for this command (no need to build the CLI first); this class is the same
 * thing for a hutong started some other way.
 */
@Command(name = "test",
    mixinStandardHelpOptions = true,
    description = "Build Hutong and run all its tests (./mvnw -B verify in the repository).",
    footer = {"", "Set HUTONG_TEST_DB_URL to a jdbc:postgresql: URL to run the database tests",
        "a second time against that PostgreSQL."})
final class TestCommand implements Callable<Integer> {
  /** Set by the launcher to the repository root. */
  static final String HOME_PROPERTY = "hutong.home";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path root = repositoryRoot();
    ProcessBuilder maven = new ProcessBuilder(root.resolve("mvnw").toString(), "-B", "verify")
        .directory(root.toFile())
        .inheritIO();
    // Build with the JDK running this command: it is known to be new enough.
    maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
    int exitCode = maven.start().waitFor();
    if (exitCode != 0) {
      throw new CommandFailure("the build failed (./mvnw -B verify exited with " + exitCode
          + "); the failing module and tests are listed above");
    }
    return 0;
  }

  private static Path repositoryRoot() {
    String home = System.getProperty(HOME_PROPERTY, "").trim();
    if (home.isEmpty()) {
      throw new CommandFailure("the repository is unknown: run this through the ./hutong"
          + " launcher, or pass -D" + HOME_PROPERTY + "=/path/to/hutong to java");
    }
    Path root = Path.of(home).toAbsolutePath().normalize();
    if (!Files.isExecutable(root.resolve("mvnw"))) {
      throw new CommandFailure(root + " does not look like the Hutong repository (no executable"
          + " mvnw there); check -D" + HOME_PROPERTY);
    }
    return root;
  }
}
