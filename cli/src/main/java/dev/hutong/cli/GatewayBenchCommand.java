package dev.hutong.cli;

import dev.hutong.bench.GatewayBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hutong bench gateway}: signed alipay.trade.pay round trips against the RSA2 signing ceiling. */
@Command(name = "gateway",
    mixinStandardHelpOptions = true,
    description = {"Send signed alipay.trade.pay requests (payment-code scans) from concurrent"
        + " clients over loopback to a real server on a fresh durable PostgreSQL, verify every"
        + " response signature, and compare with the RSA2 signatures per second the platform key"
        + " allows on this machine.",
        "The last line is machine-readable: RESULT bench=gateway rps=... sign_bound_rps=..."
            + " ratio=... p50_ms=... p99_ms=... errors=..."})
final class GatewayBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--requests", paramLabel = "N",
      description = "payments to send (default 8000; each uses a 60-second payment code)")
  int requests = GatewayBenchmark.Options.defaults().requests();

  @Option(names = "--clients", paramLabel = "N", description = "concurrent clients (default 8 x cores)")
  int clients = GatewayBenchmark.Options.defaults().clients();

  @Option(names = "--quick", description = "at most 3000 requests: under a minute")
  boolean quick;

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "run on a new database on this PostgreSQL instead of a fresh embedded one")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    GatewayBenchmark.Options options;
    try {
      options = new GatewayBenchmark.Options(requests, clients, 5, databaseUrl);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (quick) {
      options = options.quick();
    }
    GatewayBenchmark.Result result = new GatewayBenchmark(options, System.out).run();
    if (!result.violations().isEmpty() || result.errors() > 0) {
      throw new CommandFailure("the run had " + result.errors() + " errors and "
          + result.violations().size() + " consistency violations");
    }
    return 0;
  }
}
