package dev.hutong.cli;

import dev.hutong.bench.LedgerBenchOptions;
import dev.hutong.bench.LedgerBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hutong bench ledger}: the batching writer against the per-transfer-transaction baseline. */
@Command(name = "ledger",
    mixinStandardHelpOptions = true,
    description = {"Measure accepted transfers per second and batch latency of the ledger on a"
        + " fresh durable PostgreSQL, and in the same run a baseline that commits one transaction"
        + " per transfer with SELECT ... FOR UPDATE.",
        "The last line is machine-readable: RESULT bench=ledger accepted_tps=... baseline_tps=..."
            + " ratio=... batch_p99_ms=... hot_percent=... accounts=..."})
final class LedgerBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--accounts", paramLabel = "N", description = "accounts to create (default 10000)")
  int accounts = 10_000;

  @Option(names = "--transfers", paramLabel = "N", description = "transfers to submit (default 1000000)")
  int transfers = 1_000_000;

  @Option(names = "--hot-percent", paramLabel = "P",
      description = "share of transfers crediting one hot account, like one busy merchant (default 0)")
  int hotPercent;

  @Option(names = "--pending", description = "two-phase: pending transfers, each posted by the next request")
  boolean pending;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "transfers per request (default 8189, a full batch)")
  int batchSize = 8189;

  @Option(names = "--quick", description = "at most 300000 transfers and a 5 s baseline: under a minute")
  boolean quick;

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "run on a new database on this PostgreSQL instead of a fresh embedded one")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    LedgerBenchOptions options;
    try {
      options = new LedgerBenchOptions(accounts, transfers, hotPercent, pending, 15, databaseUrl,
          batchSize);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (quick) {
      options = options.quick();
    }
    LedgerBenchmark.Result result = new LedgerBenchmark(options, System.out).run();
    if (!result.violations().isEmpty()) {
      throw new CommandFailure("the ledger's invariants failed after the run: " + result.violations());
    }
    return 0;
  }
}
