package dev.hutong.cli;

import dev.hutong.server.HutongServer;
import dev.hutong.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hutong start}: runs the server in the foreground until Ctrl-C. */
@Command(name = "start",
    mixinStandardHelpOptions = true,
    description = "Start Hutong in the foreground; Ctrl-C stops it.",
    footer = {"", "Environment:",
        "  " + ServerConfig.ENV_DATABASE_URL + "  external PostgreSQL JDBC URL (--db wins over it)",
        "  " + ServerConfig.ENV_PUBLIC + "  true: the same as --public",
        "  " + ServerConfig.ENV_PUBLIC_URL + "  the same as --public-url",
        "  " + ServerConfig.ENV_NOTIFY_SCHEDULE_SCALE + "  the same as --notify-schedule-scale"})
final class StartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT",
      description = "HTTP port (default: " + ServerConfig.DEFAULT_PORT + "; 0 picks a free one)")
  Integer port;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "where Hutong keeps its files, the embedded PostgreSQL among them "
          + "(default: ./data)")
  Path dataDirectory;

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "use this PostgreSQL instead of the embedded one, e.g. "
          + "jdbc:postgresql://127.0.0.1:5432/hutong?user=hutong&password=secret")
  String databaseUrl;

  @Option(names = "--public",
      description = "face the internet: listen on every network interface (not only 127.0.0.1) "
          + "and refuse notify URLs on loopback, private or link-local addresses")
  boolean publicMode;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "where users reach this server, e.g. https://pay.example.com; QR codes point "
          + "there (default: http://127.0.0.1:PORT)")
  String publicUrl;

  @Option(names = "--notify-schedule-scale", paramLabel = "FACTOR",
      description = "multiply the notification retry schedule (4m, 10m, 10m, 1h, 2h, 6h, 15h) by "
          + "this factor, from 0.0001 to 1 (default 1; 0.001 turns 4 minutes into 240 ms, for "
          + "tests and demos)")
  Double notifyScheduleScale;

  @Option(names = "--apps-domain", paramLabel = "DOMAIN",
      description = "serve each mini-program from its own origin <appId>.DOMAIN (default "
          + "apps.localhost, which browsers resolve to this machine; in production a wildcard "
          + "DNS name such as apps.example.com)")
  String appsDomain;

  private final Map<String, String> environment;

  StartCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    HutongServer.runUntilStopped(config(), spec.commandLine().getOut());
    return 0;
  }

  /** The environment's settings overridden by the options given; bad values are usage errors. */
  ServerConfig config() {
    try {
      ServerConfig config = ServerConfig.fromEnvironment(environment);
      if (port != null) {
        config = config.withPort(port);
      }
      if (dataDirectory != null) {
        config = config.withDataDirectory(dataDirectory);
      }
      if (databaseUrl != null) {
        config = config.withDatabaseUrl(databaseUrl);
      }
      if (publicMode) {
        config = config.withPublicMode(true);
      }
      if (publicUrl != null) {
        config = config.withPublicUrl(publicUrl);
      }
      if (notifyScheduleScale != null) {
        config = config.withNotifyScheduleScale(notifyScheduleScale);
      }
      if (appsDomain != null) {
        config = config.withAppsDomain(appsDomain);
      }
      return config;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
