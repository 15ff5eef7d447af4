package dev.hutong.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hutong}: only a parent; the work is done by its subcommands. */
@Command(name = "hutong",
    mixinStandardHelpOptions = true,
    description = "Hutong: an open, self-hostable super-app platform "
        + "(wallet, payments, Alipay-compatible Open API, mini-programs).",
    footer = {"", "Run 'hutong COMMAND --help' for the options of a command."})
final class HutongCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "Missing command: say what to do, for example 'hutong start'");
  }
}
