package dev.hutong.server;

import dev.hutong.db.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Where Hutong's data lives: the embedded PostgreSQL under the data directory, or an external
 * server named by URL. Either way the rest of the server only sees a JDBC URL.
 */
final class Database implements AutoCloseable {
  /** The database Hutong uses inside the embedded cluster (not {@code postgres}, the admin one). */
  static final String EMBEDDED_DATABASE_NAME = "hutong";

  private final String jdbcUrl;
  private final String description;
  private final Optional<EmbeddedDatabase> embedded;

  private Database(String jdbcUrl, String description, Optional<EmbeddedDatabase> embedded) {
    this.jdbcUrl = jdbcUrl;
    this.description = description;
    this.embedded = embedded;
  }

  static Database external(String jdbcUrl) {
    return new Database(jdbcUrl, "external PostgreSQL " + JdbcUrls.maskPassword(jdbcUrl),
        Optional.empty());
  }

  /** Starts (creating on first use) a durable embedded cluster in {@code clusterDirectory}. */
  static Database embedded(Path clusterDirectory) {
    EmbeddedDatabase server = startEmbedded(clusterDirectory);
    try {
      createDatabaseIfMissing(server.jdbcUrl("postgres"), EMBEDDED_DATABASE_NAME);
    } catch (SQLException e) {
      server.close();
      throw new ServerStartException("the embedded PostgreSQL in " + clusterDirectory
          + " started but the database '" + EMBEDDED_DATABASE_NAME + "' could not be created: "
          + e.getMessage(), e);
    }
    return new Database(server.jdbcUrl(EMBEDDED_DATABASE_NAME),
        "embedded PostgreSQL at " + clusterDirectory, Optional.of(server));
  }

  private static EmbeddedDatabase startEmbedded(Path clusterDirectory) {
    try {
      return EmbeddedDatabase.start(clusterDirectory, 0, EmbeddedDatabase.Durability.DURABLE);
    } catch (RuntimeException e) {
      throw new ServerStartException("could not start the embedded PostgreSQL in "
          + clusterDirectory + ": " + rootMessage(e) + leftoverHint(clusterDirectory), e);
    }
  }

  /**
   * A PostgreSQL left running by a Hutong that was killed (not stopped) still owns the cluster;
   * its pid file says which process to stop.
   */
  private static String leftoverHint(Path clusterDirectory) {
    Path pidFile = clusterDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return "";
    }
    try {
      String pid = Files.readAllLines(pidFile).getFirst().trim();
      return "; a PostgreSQL from an earlier run may still be running (" + pidFile
          + " names process " + pid + "): if no Hutong is running, stop it with kill " + pid;
    } catch (java.io.IOException | RuntimeException e) {
      return "; " + pidFile + " exists: a PostgreSQL from an earlier run may still be running";
    }
  }

  private static void createDatabaseIfMissing(String adminUrl, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl);
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        // The name is a constant of this class, never input, so it can be spliced in.
        create.execute("CREATE DATABASE " + name);
      }
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : e.getMessage() + " (" + message + ")";
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  /** For people: "embedded PostgreSQL at /path" or "external PostgreSQL url" (password masked). */
  String description() {
    return description;
  }

  boolean isEmbedded() {
    return embedded.isPresent();
  }

  @Override
  public void close() {
    embedded.ifPresent(EmbeddedDatabase::close);
  }
}
