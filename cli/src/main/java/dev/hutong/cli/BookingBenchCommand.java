package dev.hutong.cli;

import dev.hutong.bench.BookingBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hutong bench booking}: a rush of seat holds on one showtime through the app's API. */
@Command(name = "booking",
    mixinStandardHelpOptions = true,
    description = {"Send concurrent seat-hold requests for one showtime through the booking API"
        + " the cinema template uses (per-app user sessions) to a real server on a fresh durable"
        + " PostgreSQL; every seat must be held exactly once.",
        "The last line is machine-readable: RESULT bench=booking attempts=... seats=... held=..."
            + " double_booked=... holds_per_s=..."})
final class BookingBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--attempts", paramLabel = "N", description = "hold attempts (default 10000)")
  int attempts = BookingBenchmark.Options.defaults().attempts();

  @Option(names = "--seats", paramLabel = "N", description = "seats in the hall, a multiple of 20"
      + " (default 200)")
  int seats = BookingBenchmark.Options.defaults().seats();

  @Option(names = "--clients", paramLabel = "N", description = "concurrent clients (default 64)")
  int clients = BookingBenchmark.Options.defaults().clients();

  @Option(names = "--warmup", paramLabel = "N", description = "unmeasured rushes on other"
      + " showtimes first, so the measured one runs on a warm JVM (default 0: a cold server)")
  int warmups = BookingBenchmark.Options.defaults().warmups();

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "run on a new database on this PostgreSQL instead of a fresh embedded one")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    BookingBenchmark.Options options;
    try {
      options = new BookingBenchmark.Options(attempts, seats, clients,
          BookingBenchmark.Options.defaults().users(), warmups, databaseUrl);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    BookingBenchmark.Result result = new BookingBenchmark(options, System.out).run();
    if (!result.ok()) {
      throw new CommandFailure("held " + result.held() + " of " + result.seats() + " seats, "
          + result.doubleBooked() + " double booked, " + result.errors() + " errors");
    }
    return 0;
  }
}
