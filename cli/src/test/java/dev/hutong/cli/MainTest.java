package dev.hutong.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> environment, String... args) {
    CommandLine hutong = Main.commandLine(environment);
    hutong.setOut(new PrintWriter(out, true));
    hutong.setErr(new PrintWriter(err, true));
    return hutong.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void versionIsTheProjectVersion() throws Exception {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("hutong " + VersionProvider.projectVersion());
    assertThat(VersionProvider.projectVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("start", "test", "bench", "admin", "Usage: hutong");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing command");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument at index 0: 'frobnicate'");
  }

  @Test
  void startHelpShowsItsOptions() {
    assertThat(run("start", "--help")).isZero();
    assertThat(out.toString()).contains("--port", "--data-dir", "--db", "HUTONG_DB_URL",
        "HUTONG_PUBLIC", "--public", "--public-url", "--notify-schedule-scale",
        "HUTONG_NOTIFY_SCHEDULE_SCALE");
  }

  @Test
  void startOptionsReachTheConfig() {
    StartCommand start = new StartCommand(Map.of("HUTONG_NOTIFY_SCHEDULE_SCALE", "0.5"));
    new CommandLine(start).parseArgs("--public", "--public-url", "https://pay.example.com");
    assertThat(start.config().publicMode()).isTrue();
    assertThat(start.config().publicUrl()).contains("https://pay.example.com");
    assertThat(start.config().notifyScheduleScale()).isEqualTo(0.5);
    new CommandLine(start).parseArgs("--notify-schedule-scale", "0.001");
    assertThat(start.config().notifyScheduleScale()).isEqualTo(0.001);
  }

  @Test
  void aScheduleScaleOutOfRangeIsAUsageError() {
    assertThat(run("start", "--notify-schedule-scale", "5")).isEqualTo(2);
    assertThat(err.toString()).contains("between 0.0001 and 1");
  }

  @Test
  void adminHelpListsItsCommands() {
    assertThat(run("admin", "--help")).isZero();
    assertThat(out.toString()).contains("merchant", "app", "user", "cashier", "oauth", "balance");
  }

  @Test
  void aPortOutsideTheTcpRangeIsAUsageError() {
    assertThat(run("start", "--port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("the port must be between 0 and 65535, got 70000");
  }

  @Test
  void aPortThatIsNotANumberIsAUsageError() {
    assertThat(run("start", "--port", "eighty")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value for option '--port': 'eighty' is not an int");
  }

  @Test
  void aDatabaseUrlThatIsNotPostgresIsAUsageError() {
    assertThat(run("start", "--db", "postgres://u:hunter2@h/db")).isEqualTo(2);
    assertThat(err.toString())
        .contains("the database URL must start with jdbc:postgresql:")
        .contains("got postgres://u:****@h/db")
        .doesNotContain("hunter2");
  }

  @Test
  void aBadEnvironmentIsReportedToo() {
    assertThat(run(Map.of("HUTONG_PUBLIC", "maybe"), "start")).isEqualTo(2);
    assertThat(err.toString()).contains("HUTONG_PUBLIC must be true or false, got 'maybe'");
  }

  @Test
  void optionsOverrideTheEnvironment() {
    CommandLine hutong = Main.commandLine(Map.of("HUTONG_DB_URL", "jdbc:postgresql://env/db"));
    hutong.parseArgs("start", "--port", "9090", "--data-dir", "/srv/hutong",
        "--db", "jdbc:postgresql://opt/db");
    StartCommand command = hutong.getSubcommands().get("start").getCommand();
    assertThat(command.config().port()).isEqualTo(9090);
    assertThat(command.config().dataDirectory()).isEqualTo(Path.of("/srv/hutong"));
    assertThat(command.config().databaseUrl()).contains("jdbc:postgresql://opt/db");
  }

  @Test
  void anUnwritableDataDirectoryFailsWithAClearMessage() {
    assertThat(run("start", "--port", "0", "--data-dir", "/proc/self")).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith(
        "hutong start: the data directory /proc/self is not writable: ")
        .contains("cannot create /proc/self/hutong.lock")
        .doesNotContain("Exception");
  }

  @Test
  void testNeedsTheRepositoryFromTheLauncher() {
    String saved = System.clearProperty("hutong.home");
    try {
      assertThat(run("test")).isEqualTo(1);
      assertThat(err.toString()).contains("hutong test: the repository is unknown: run this"
          + " through the ./hutong launcher");
    } finally {
      if (saved != null) {
        System.setProperty("hutong.home", saved);
      }
    }
  }

  @Test
  void benchWithoutANameListsTheBenchmarks() {
    assertThat(run("bench")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing benchmark: name one of ledger, gateway");
  }

  @Test
  void benchLedgerRejectsAnOutOfRangeOptionAsAUsageError() {
    assertThat(run("bench", "ledger", "--hot-percent", "101")).isEqualTo(2);
    assertThat(err.toString()).contains("--hot-percent must be 0 to 100");
  }
}
