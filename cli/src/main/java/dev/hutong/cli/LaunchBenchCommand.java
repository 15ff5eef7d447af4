package dev.hutong.cli;

import dev.hutong.bench.LaunchBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hutong bench launch}: tap-to-first-paint of a mini-program in headless Chromium. */
@Command(name = "launch",
    mixinStandardHelpOptions = true,
    description = {"Open a mini-program from the shell in headless Chromium (Debian's chromium"
        + " and chromedriver) and time the tap to the app's first paint (Performance API), cold"
        + " (new browser) and warm (same browser, app reopened).",
        "The last line is machine-readable: RESULT bench=launch cold_p50_ms=... warm_p50_ms=..."
            + " warm_p99_ms=..."})
final class LaunchBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--cold", paramLabel = "N", description = "cold launches (default 50)")
  int cold = 50;

  @Option(names = "--warm", paramLabel = "N", description = "warm launches (default 50)")
  int warm = 50;

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "run on a new database on this PostgreSQL instead of a fresh embedded one")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    LaunchBenchmark.Options options;
    try {
      options = new LaunchBenchmark.Options(cold, warm, databaseUrl);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    new LaunchBenchmark(options, System.out).run();
    return 0;
  }
}
