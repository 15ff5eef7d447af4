package dev.hutong.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components started so far, stopped in reverse order: whatever started later may depend on
 * whatever started earlier (the web server on the ledger, the ledger on the pool, the pool on
 * PostgreSQL), so it has to stop first. Used both for a normal stop and to undo a start that
 * failed half-way.
 *
 * <p>Once closed it stays closed: a component whose start finishes after that (Ctrl-C during
 * start-up) is stopped at once instead of being left running.
 */
final class ShutdownStack {
  private static final Logger log = LoggerFactory.getLogger(ShutdownStack.class);

  /** A started component and how to stop it. */
  @FunctionalInterface
  interface Stop {
    void stop() throws Exception;
  }

  private record Entry(String name, Stop action) {}

  private final Deque<Entry> started = new ArrayDeque<>();
  private boolean closed;

  /** Records a started component; if the stack is already closed, stops it and says so. */
  synchronized void push(String name, Stop action) {
    started.push(new Entry(name, action));
    if (closed) {
      stopEverything();
      throw new ServerStartException("Hutong was asked to stop while it was starting");
    }
  }

  /** Stops everything, last started first; a failure to stop one does not keep the rest running. */
  synchronized void close() {
    closed = true;
    stopEverything();
  }

  private void stopEverything() {
    while (!started.isEmpty()) {
      Entry entry = started.pop();
      try {
        log.info("stopping {}", entry.name());
        entry.action().stop();
      } catch (Exception | LinkageError e) {
        log.error("could not stop {} cleanly", entry.name(), e);
      }
    }
  }
}
