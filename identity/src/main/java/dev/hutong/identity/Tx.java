package dev.hutong.identity;

import dev.hutong.db.Retry;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;

/**
 * Database transactions for the domain modules: JDBI with explicit SQL, retried from the start on
 * a serialization failure or deadlock (SQLSTATE 40001 / 40P01), which a PostgreSQL-wire
 * distributed engine may raise at any statement. The work must therefore be safe to run again:
 * no side effects outside the database inside it.
 *
 * <p>Also the two conversions every module needs: {@link Instant} to timestamptz and back, done
 * explicitly so that the JVM's default time zone never enters.
 */
public final class Tx {
  private Tx() {}

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Handle handle);
  }

  /** Runs {@code work} in a READ COMMITTED transaction, retrying serialization failures. */
  public static <T> T run(Jdbi jdbi, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbi.inTransaction(work::run);
      } catch (JdbiException e) {
        if (!isRetryable(e) || attempt >= Retry.ATTEMPTS_MAX) {
          throw e;
        }
        backOff(attempt);
      }
    }
  }

  /** Runs {@code work} without a transaction around it (single statements, reads). */
  public static <T> T read(Jdbi jdbi, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbi.withHandle(work::run);
      } catch (JdbiException e) {
        if (!isRetryable(e) || attempt >= Retry.ATTEMPTS_MAX) {
          throw e;
        }
        backOff(attempt);
      }
    }
  }

  static boolean isRetryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && Retry.isRetryable(sql)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code e} is a unique-constraint violation (SQLSTATE 23505). */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
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
      throw new IllegalStateException("interrupted while retrying a transaction", e);
    }
  }

  /** An Instant bound as timestamptz (null binds SQL NULL). */
  public static Argument at(Instant instant) {
    return (position, statement, ctx) -> statement.setObject(position,
        instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC),
        java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
  }

  /** A UUID bound as uuid (null binds SQL NULL). */
  public static Argument uuid(UUID id) {
    return (position, statement, ctx) -> statement.setObject(position, id, java.sql.Types.OTHER);
  }

  /** Reads a timestamptz column as an Instant (null stays null). */
  public static Instant instant(java.sql.ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** Reads a uuid column (null stays null). */
  public static UUID uuid(java.sql.ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, UUID.class);
  }
}
