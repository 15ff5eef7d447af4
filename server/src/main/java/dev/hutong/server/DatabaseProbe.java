package dev.hutong.server;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Answers "is the database reachable?" with a {@code SELECT 1}, within a time limit.
 *
 * <p>At most one probe runs at a time: when the database hangs, a monitor polling /health every
 * second must not pile up a blocked thread and a pool connection per poll. Callers that arrive
 * while a probe is running wait for that probe's answer instead of starting another.
 */
final class DatabaseProbe {
  /** What a probe found; {@code reason} is empty when the database answered. */
  record Result(boolean reachable, String reason, long latencyMs) {}

  private static final Executor VIRTUAL_THREADS =
      task -> Thread.ofVirtual().name("database-probe").start(task);

  private final DataSource dataSource;
  private final Duration timeout;
  private CompletableFuture<Result> inFlight = CompletableFuture.completedFuture(null);

  DatabaseProbe(DataSource dataSource, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 60) {
      throw new IllegalArgumentException("the probe timeout must be within (0, 60 s]: " + timeout);
    }
    this.dataSource = dataSource;
    this.timeout = timeout;
  }

  Result check() {
    CompletableFuture<Result> probe = currentOrNewProbe();
    try {
      return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Result(false, "the database did not answer SELECT 1 within "
          + timeout.toMillis() + " ms", timeout.toMillis());
    } catch (ExecutionException e) {
      return new Result(false, Database.rootMessage(e.getCause()), -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted while waiting for the database", -1);
    }
  }

  private synchronized CompletableFuture<Result> currentOrNewProbe() {
    if (inFlight.isDone()) {
      inFlight = CompletableFuture.supplyAsync(this::selectOne, VIRTUAL_THREADS);
    }
    return inFlight;
  }

  private Result selectOne() {
    long startNs = System.nanoTime();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      try (ResultSet rs = statement.executeQuery("SELECT 1")) {
        if (!rs.next() || rs.getInt(1) != 1) {
          return new Result(false, "SELECT 1 did not return 1", elapsedMs(startNs));
        }
      }
      return new Result(true, "", elapsedMs(startNs));
    } catch (SQLException e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  private static long elapsedMs(long startNs) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
  }
}
