package dev.hutong.server;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Logging set-up that cannot live in logback.xml. */
final class Logging {
  private Logging() {}

  /**
   * Sends java.util.logging (Helidon logs through it) to SLF4J and so to Logback, so the server
   * writes one log in one format. Safe to call more than once.
   */
  static synchronized void routeJavaUtilLogging() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
