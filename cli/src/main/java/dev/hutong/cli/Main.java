package dev.hutong.cli;

import dev.hutong.server.ServerStartException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;

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
    hutong.setExecutionExceptionHandler(failureHandler());
    return hutong;
  }

  /** A failure is one line on stderr; a stack trace only for what looks like a bug. */
  private static IExecutionExceptionHandler failureHandler() {
    return (exception, commandLine, parseResult) -> {
      String name = commandLine.getCommandSpec().qualifiedName();
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
