package dev.hutong.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Connection pools. One place so that every pool gets the same safety settings. */
public final class Pools {
  private Pools() {}

  /**
   * A pool on a JDBC URL (user and password may be in the URL, as PostgreSQL's driver allows).
   *
   * @param maxSize the most connections this pool may hold: PostgreSQL's max_connections is
   *     shared by every pool, so each caller names its own bound
   */
  public static HikariDataSource open(String jdbcUrl, String name, int maxSize) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "only PostgreSQL is supported: expected a URL starting jdbc:postgresql:, got " + jdbcUrl);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName(name);
    config.setMaximumPoolSize(maxSize);
    config.setMinimumIdle(Math.min(2, maxSize));
    config.setConnectionTimeout(30_000);
    // Server-side prepared statements after the first use: the hot paths repeat the same SQL.
    config.addDataSourceProperty("prepareThreshold", "1");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    return new HikariDataSource(config);
  }
}
