package dev.hutong.db;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Databases for tests and benchmarks: a fresh, empty database per caller on either the embedded
 * PostgreSQL (started once per JVM) or, when the system property {@code hutong.test.db.url} is
 * set, an external server (CI runs every database test a second time that way).
 *
 * <p>Lives in main code, not a test jar, because the benchmarks and the crash-test child JVMs use
 * it too.
 */
public final class TestDatabases {
  /** The system property naming an external server; blank means the embedded one. */
  public static final String EXTERNAL_URL_PROPERTY = "hutong.test.db.url";

  private static EmbeddedDatabase embedded;

  private TestDatabases() {}

  /** Where the cluster is: "embedded" or the external URL, for messages. */
  public static String describe() {
    String external = externalUrl();
    return external == null ? "embedded PostgreSQL" : "external PostgreSQL " + external;
  }

  /** A URL of a new empty database, created on the shared cluster, named after {@code purpose}. */
  public static synchronized String createDatabase(String purpose) {
    String name = ("t_" + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
        + UUID.randomUUID().toString().substring(0, 8));
    if (name.length() > 60) {
      name = name.substring(0, 51) + name.substring(name.length() - 9);
    }
    return createDatabase(adminUrl(), name);
  }

  /**
   * Creates database {@code name} on the server of {@code adminUrl} (a URL of any database there,
   * as a user allowed to create databases) and returns the new database's URL.
   */
  public static String createDatabase(String adminUrl, String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("database names here are lowercase identifiers: " + name);
    }
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name + " on " + adminUrl
          + ": " + e.getMessage(), e);
    }
    return withDatabase(adminUrl, name);
  }

  /** Drops a database made by {@link #createDatabase(String, String)}; it must have no open connections. */
  public static void dropDatabase(String adminUrl, String name) {
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop database " + name + ": " + e.getMessage(), e);
    }
  }

  /** A pool on a new empty database. */
  public static HikariDataSource open(String purpose, int poolSize) {
    return Pools.open(createDatabase(purpose), purpose, poolSize);
  }

  private static String adminUrl() {
    String external = externalUrl();
    if (external != null) {
      return external;
    }
    return embedded().jdbcUrl("postgres");
  }

  private static String externalUrl() {
    String url = System.getProperty(EXTERNAL_URL_PROPERTY, "").trim();
    return url.isEmpty() ? null : url;
  }

  private static EmbeddedDatabase embedded() {
    if (embedded == null) {
      try {
        Path dir = Files.createTempDirectory("hutong-test-pg");
        embedded = EmbeddedDatabase.start(dir, 0, EmbeddedDatabase.Durability.THROWAWAY);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          embedded.close();
          deleteQuietly(dir);
        }, "test-pg-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return embedded;
  }

  /** Replaces the database name in a PostgreSQL JDBC URL, keeping host, port and parameters. */
  public static String withDatabase(String url, String database) {
    String prefix = "jdbc:postgresql://";
    if (!url.startsWith(prefix)) {
      throw new IllegalArgumentException("expected jdbc:postgresql://host[:port]/db, got " + url);
    }
    int slash = url.indexOf('/', prefix.length());
    int query = url.indexOf('?');
    String hostPart = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
    String params = query < 0 ? "" : url.substring(query);
    return hostPart + "/" + database + params;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // Best effort: the directory is under the system temp folder.
    }
  }
}
