package dev.hutong.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs a module's invariant checks — each a query counting the rows that break one rule — in one
 * REPEATABLE READ snapshot, so that every check sees the same committed state.
 */
public final class ConsistencyChecks {
  /** One rule: {@code countSql} counts the rows that break it; {@code what} names it for people. */
  public record Check(String what, String countSql) {}

  private ConsistencyChecks() {}

  /** The rules broken, each with its count; empty when all hold. */
  public static List<String> violations(DataSource dataSource, List<Check> checks)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = c.createStatement()) {
        for (Check check : checks) {
          try (ResultSet rs = s.executeQuery(check.countSql())) {
            rs.next();
            long n = rs.getLong(1);
            if (n != 0) {
              out.add(check.what() + " (" + n + ")");
            }
          }
        }
      }
      c.commit();
    }
    return out;
  }
}
