package dev.hutong.db;

import java.sql.SQLException;
import java.util.Set;

/**
 * Retries of work that a distributed PostgreSQL-wire engine (and PostgreSQL under SERIALIZABLE)
 * may abort with a serialization failure. The work must be safe to run again from the start.
 */
public final class Retry {
  /** serialization_failure and deadlock_detected: the transaction did nothing, run it again. */
  private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
  /** A bound on attempts, so a persistent conflict surfaces as an error instead of a spin. */
  public static final int ATTEMPTS_MAX = 8;

  private Retry() {}

  /** Work that talks to the database. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SQLException;
  }

  public static <T> T onSerializationFailure(Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException e) {
        if (!isRetryable(e) || attempt >= ATTEMPTS_MAX) {
          throw e;
        }
        backOff(attempt);
      }
    }
  }

  public static boolean isRetryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && RETRYABLE.contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(Math.min(100, 2L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
