package dev.hutong.cli;

import dev.hutong.server.ServerStartException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code hutong} command. Exit codes: 0 done, 2 the command line was wrong,
 * 1 the command failed (the message says why).
 */
public final class Main {
  static final int EXIT_FAILURE = 1;

  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The whole command tree, every subcommand added here explicitly. */
  static CommandLine commandLine(Map<String, String> environment) {
    CommandLine hutong = new CommandLine(new HutongCommand());
    hutong.getCommandSpec().versionProvider(new VersionProvider());
    hutong.addSubcommand("start", new StartCommand(environment));
    hutong.addSubcommand("test", new TestCommand());
    hutong.addSubcommand("bench", BenchCommand.commandLine());
    hutong.addSubcommand("admin", AdminCommands.commandLine());
    hutong.addSubcommand("miniapp", MiniappCommands.commandLine());
    hutong.setExecutionExceptionHandler(failureHandler());
    hutong.setParameterExceptionHandler(usageErrorHandler());
    return hutong;
  }

  /** A usage error is the problem and where to read about usage, not the whole help text. */
  private static IParameterExceptionHandler usageErrorHandler() {
    return (exception, args) -> {
      CommandLine commandLine = exception.getCommandLine();
      String name = commandLine.getCommandSpec().qualifiedName();
      if (AdminCommands.isAdmin(commandLine)) {
        // Scripts read admin commands' stdout: the usage error is one JSON object there too.
        AdminCommands.printError(commandLine.getOut(), name + ": " + exception.getMessage()
            + " (run '" + name + " --help' for usage)", "CLI.USAGE");
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
      }
      commandLine.getErr().println(name + ": " + exception.getMessage());
      UnmatchedArgumentException.printSuggestions(exception, commandLine.getErr());
      commandLine.getErr().println("Run '" + name + " --help' for usage.");
      commandLine.getErr().flush();
      return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    };
  }

  /** A failure is one line on stderr; a stack trace only for what looks like a bug. */
  private static IExecutionExceptionHandler failureHandler() {
    return (exception, commandLine, parseResult) -> {
      String name = commandLine.getCommandSpec().qualifiedName();
      if (AdminCommands.isAdmin(commandLine)) {
        AdminCommands.printError(commandLine.getOut(), exception instanceof AdminFailure
            ? exception.getMessage() : "unexpected error, please report it: " + exception,
            exception instanceof AdminFailure f ? f.subCode() : "CLI.INTERNAL_ERROR");
        if (!(exception instanceof AdminFailure)) {
          exception.printStackTrace(commandLine.getErr());
        }
        return EXIT_FAILURE;
      }
      if (exception instanceof ServerStartException || exception instanceof CommandFailure) {
        commandLine.getErr().println(name + ": " + exception.getMessage());
      } else {
        commandLine.getErr().println(name + ": unexpected error, please report it: " + exception);
        exception.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return EXIT_FAILURE;
    };
  }
}
