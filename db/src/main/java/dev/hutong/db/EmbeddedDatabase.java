package dev.hutong.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started in-process from the binaries on the classpath (zonky),
 * with its data kept under a directory between runs.
 *
 * <p>The library's builder turns durability off by default (it is meant for throwaway test
 * databases); {@link Durability#DURABLE} puts fsync, synchronous_commit and full_page_writes back
 * on, because a payments platform must not lose an acknowledged commit on a power cut.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** How much an embedded server may trade safety for speed. */
  public enum Durability {
    /** fsync=on, synchronous_commit=on, full_page_writes=on: for everything users rely on. */
    DURABLE,
    /** Off, off, off: for throwaway test clusters only, where a crash of the OS loses nothing. */
    THROWAWAY
  }

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts (initialising on first use) a cluster whose files live in {@code dataDirectory}.
   *
   * @param port the TCP port on loopback; 0 picks a free one
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port, Durability durability) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          // The owner stops the server in close(): zonky's own JVM shutdown hook would race the
          // owner's hook and could stop PostgreSQL while a writer still commits its last batch.
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(60));
      if (port > 0) {
        builder.setPort(port);
      }
      for (Map.Entry<String, String> setting : settings(durability).entrySet()) {
        builder.setServerConfig(setting.getKey(), setting.getValue());
      }
      log.info("starting embedded PostgreSQL in {}", dataDirectory);
      return new EmbeddedDatabase(builder.start(), dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory
          + " (is another Hutong using this data directory?)", e);
    }
  }

  /** The server settings for a durability level; visible so tests can check them. */
  public static Map<String, String> settings(Durability durability) {
    String on = durability == Durability.DURABLE ? "on" : "off";
    return Map.of(
        "fsync", on,
        "synchronous_commit", on,
        "full_page_writes", on,
        "max_connections", "200",
        "shared_buffers", "256MB",
        "max_wal_size", "2GB",
        "timezone", "UTC");
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The JDBC URL of a database on this server, as the superuser {@code postgres}. */
  public String jdbcUrl(String database) {
    return postgres.getJdbcUrl("postgres", database);
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the embedded PostgreSQL cleanly", e);
    }
  }
}
