package dev.hutong.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A Hutong in a child JVM on an external database, for the crash test, which kills it with
 * SIGKILL. Arguments: data directory, JDBC URL, notification schedule scale. Prints
 * "started PORT" when it takes traffic.
 */
public final class CrashableHutong {
  private CrashableHutong() {}

  public static void main(String[] args) throws InterruptedException {
    HutongServer server = HutongServer.start(new ServerConfig(0, Path.of(args[0]),
        Optional.of(args[1]), false, Optional.empty(), Double.parseDouble(args[2])));
    System.out.println("started " + server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** A child JVM running this class on {@code data} and the database; its output goes to a log
   * beside the data directory, named after {@code name}. */
  static Process startChild(Path data, String databaseUrl, String name, double scheduleScale)
      throws Exception {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        CrashableHutong.class.getName(), data.toString(), databaseUrl,
        Double.toString(scheduleScale))
        .redirectErrorStream(true).redirectOutput(log(data, name).toFile()).start();
  }

  static Path log(Path data, String name) {
    return data.resolveSibling(data.getFileName() + "-" + name + ".log");
  }

  /** The port the child listens on, once it printed "started PORT". */
  static int awaitStarted(Path data, Process child, String name) throws Exception {
    Path log = log(data, name);
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith("started ")) {
            return Integer.parseInt(line.substring("started ".length()).trim());
          }
        }
      }
      if (!child.isAlive()) {
        throw new AssertionError("the " + name + " server exited: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the " + name + " server did not start within " + START_TIMEOUT
        + ": " + Files.readString(log));
  }
}
