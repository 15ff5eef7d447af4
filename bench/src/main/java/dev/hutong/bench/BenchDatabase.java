package dev.hutong.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.EmbeddedDatabase;
import dev.hutong.db.Pools;
import dev.hutong.db.TestDatabases;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh database for one benchmark run: by default a new embedded PostgreSQL with durable
 * settings (fsync, synchronous_commit, full_page_writes on, as in production) in a temporary
 * directory; or a new database on an external server. Removed again at the end.
 */
final class BenchDatabase implements AutoCloseable {
  private final EmbeddedDatabase embedded;
  private final Path directory;
  private final String adminUrl;
  private final String name;
  private final HikariDataSource pool;
  private final String url;

  private BenchDatabase(EmbeddedDatabase embedded, Path directory, String adminUrl, String name,
      int poolSize) {
    this.embedded = embedded;
    this.directory = directory;
    this.adminUrl = adminUrl;
    this.name = name;
    this.url = TestDatabases.createDatabase(adminUrl, name);
    this.pool = Pools.open(url, "bench", poolSize);
  }

  static BenchDatabase open(String externalUrl, int poolSize, PrintStream out) {
    String name = "hutong_bench_" + UUID.randomUUID().toString().substring(0, 8);
    if (externalUrl != null) {
      out.println("database: external PostgreSQL, new database " + name);
      return new BenchDatabase(null, null, externalUrl, name, poolSize);
    }
    try {
      Path dir = Files.createTempDirectory("hutong-bench-pg");
      out.println("database: embedded PostgreSQL (fsync=on, synchronous_commit=on,"
          + " full_page_writes=on) in " + dir);
      EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0, EmbeddedDatabase.Durability.DURABLE);
      return new BenchDatabase(db, dir, db.jdbcUrl("postgres"), name, poolSize);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JDBC URL of the benchmark's database, for a server started on it. */
  String url() {
    return url;
  }

  HikariDataSource pool() {
    return pool;
  }

  /**
   * CPU time the embedded PostgreSQL's processes have used so far (its postmaster, found by the
   * data directory on its command line, and the backends under it; a backend that has exited no
   * longer counts, so take it around work on pooled connections); -1 on an external database.
   */
  long cpuNanos() {
    if (embedded == null) {
      return -1;
    }
    String dir = directory.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
        .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
            p.descendants()))
        .distinct()
        .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L))
        .sum();
  }

  @Override
  public void close() {
    pool.close();
    if (embedded == null) {
      TestDatabases.dropDatabase(adminUrl, name);
      return;
    }
    embedded.close();
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + directory, e);
    }
  }
}
