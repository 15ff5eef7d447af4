package dev.hutong.server;

import java.nio.file.Path;
import java.util.Optional;

/** A Hutong in a child JVM, for tests that kill it with SIGKILL. Prints "started" when up. */
public final class KilledHutong {
  private KilledHutong() {}

  public static void main(String[] args) throws InterruptedException {
    HutongServer.start(new ServerConfig(0, Path.of(args[0]), Optional.empty(), false));
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
