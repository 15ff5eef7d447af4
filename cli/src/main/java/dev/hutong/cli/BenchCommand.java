package dev.hutong.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hutong bench}: the parent of the whole-system benchmarks, each one a subcommand. The
 * benchmarks themselves live in the bench module; this class only wires them in.
 */
@Command(name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a whole-system benchmark and print its figures.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /**
   * The bench command with its benchmarks, added one by one, explicitly: a benchmark from the
   * bench module becomes {@code hutong bench NAME} by one more addSubcommand line here.
   */
  static CommandLine commandLine() {
    CommandLine bench = new CommandLine(new BenchCommand());
    bench.addSubcommand("ledger", new LedgerBenchCommand());
    bench.addSubcommand("gateway", new GatewayBenchCommand());
    bench.addSubcommand("search", new SearchBenchCommand());
    bench.addSubcommand("booking", new BookingBenchCommand());
    bench.addSubcommand("launch", new LaunchBenchCommand());
    return bench;
  }

  @Override
  public Integer call() {
    if (spec.subcommands().isEmpty()) {
      throw new CommandFailure("this build of hutong has no benchmarks yet");
    }
    throw new ParameterException(spec.commandLine(),
        "Missing benchmark: name one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
