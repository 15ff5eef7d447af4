package dev.hutong.booking;

import dev.hutong.db.Retry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;

/**
 * Transactions of the booking module: JDBI, retried from the start on SQLSTATE 40001/40P01 (the
 * portable subset of DESIGN §2), so the work must have no side effects outside the database.
 */
final class Sql {
  private Sql() {}

  @FunctionalInterface
  interface Work<T> {
    T run(Handle h);
  }

  static <T> T tx(Jdbi jdbi, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbi.inTransaction(work::run);
      } catch (JdbiException e) {
        if (!retryable(e) || attempt >= Retry.ATTEMPTS_MAX) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  private static boolean retryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && Retry.isRetryable(sql)) {
        return true;
      }
    }
    return false;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(50, 1L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted between transaction retries", e);
    }
  }

  static Argument at(Instant t) {
    return (i, st, ctx) -> st.setObject(i, t == null ? null : OffsetDateTime.ofInstant(t,
        ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
  }

  static Argument id(UUID id) {
    return (i, st, ctx) -> st.setObject(i, id, Types.OTHER);
  }

  static Argument ids(UUID[] ids) {
    return (i, st, ctx) -> st.setArray(i, st.getConnection().createArrayOf("uuid", ids));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static UUID uuid(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, UUID.class);
  }

  /** True when {@code e} (or a cause) is PostgreSQL's unique_violation. */
  static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
