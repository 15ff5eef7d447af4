package dev.hutong.server;

import java.nio.file.Path;
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
}
