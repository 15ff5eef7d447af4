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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Hutong's data lives: the embedded PostgreSQL under the data directory, or an external
 * server named by URL. Either way the rest of the server only sees a JDBC URL.
 */
final class Database implements AutoCloseable {
  /** The database Hutong uses inside the embedded cluster (not {@code postgres}, the admin one). */
  static final String EMBEDDED_DATABASE_NAME = "hutong";
  /** How long a PostgreSQL left running by a killed Hutong gets to shut down. */
  private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(Database.class);

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
    stopLeftoverPostgres(clusterDirectory);
    try {
      return EmbeddedDatabase.start(clusterDirectory, 0, EmbeddedDatabase.Durability.DURABLE);
    } catch (RuntimeException e) {
      throw new ServerStartException("could not start the embedded PostgreSQL in "
          + clusterDirectory + ": " + rootCause(e), e);
    }
  }

  /**
   * A Hutong that was killed (kill -9, a JVM crash) leaves its PostgreSQL running: it runs in a
   * session of its own, so it outlives the JVM. The caller holds the data directory's lock, so no
   * live Hutong owns that PostgreSQL; it is stopped (a normal "smart" shutdown, which loses
   * nothing) before the new one starts, instead of making the start fail.
   */
  private static void stopLeftoverPostgres(Path clusterDirectory) {
    Path pidFile = clusterDirectory.resolve("postmaster.pid");
    Optional<ProcessHandle> leftover = readPid(pidFile).flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive);
    if (leftover.isEmpty()) {
      // No pid file, or a stale one: PostgreSQL itself replaces a stale one on start.
      return;
    }
    ProcessHandle process = leftover.get();
    boolean isPostgres = process.info().command().map(c -> c.endsWith("/postgres")).orElse(false);
    if (!isPostgres) {
      throw new ServerStartException(pidFile + " names process " + process.pid() + ", which is"
          + " not a PostgreSQL this user can stop; stop it, or remove the file if it is stale");
    }
    log.warn("stopping PostgreSQL process {} left running in {} by an earlier Hutong",
        process.pid(), clusterDirectory);
    process.destroy();
    try {
      process.onExit().get(LEFTOVER_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerStartException("interrupted while stopping the leftover PostgreSQL", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ServerStartException("the PostgreSQL left running in " + clusterDirectory
          + " (process " + process.pid() + ") did not stop within "
          + LEFTOVER_STOP_WAIT.toSeconds() + " s; stop it with kill " + process.pid(), e);
    }
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      String firstLine = Files.readAllLines(pidFile).getFirst().trim();
      return firstLine.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(firstLine))
          : Optional.empty();
    } catch (java.io.IOException | java.util.NoSuchElementException e) {
      return Optional.empty();
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

  /** The innermost cause's message: where the real reason is, without the wrappers' words. */
  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
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
