package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default set-up: no database URL, so the server runs its own durable PostgreSQL under the
 * data directory. Not tagged "db": it always uses the embedded server, never an external one.
 */
class EmbeddedServerTest {

  @Test
  void startsEmbeddedPostgresUnderTheDataDirectoryAndStopsItOnClose(@TempDir Path data)
      throws Exception {
    ServerConfig config = new ServerConfig(0, data, Optional.empty(), false);
    Path cluster = data.toAbsolutePath().resolve("postgres");
    try (HutongServer server = HutongServer.start(config)) {
      assertThat(server.banner()).contains("Database: embedded PostgreSQL at " + cluster);
      Http.Response health = Http.get(server.port(), "/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().path("database").path("kind").asText()).isEqualTo("embedded");
      assertThat(cluster.resolve("postmaster.pid")).exists();
    }
    // PostgreSQL removes its pid file only when it has shut down.
    assertThat(cluster.resolve("postmaster.pid")).doesNotExist();
    assertThat(Files.exists(cluster.resolve("PG_VERSION"))).isTrue();

    // A second start finds the cluster it made and reuses it.
    try (HutongServer again = HutongServer.start(config)) {
      assertThat(Http.get(again.port(), "/health").status()).isEqualTo(200);
    }
  }

  @Test
  void aPostgresLeftRunningByAKilledHutongIsStoppedAndReplaced(@TempDir Path data)
      throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        KilledHutong.class.getName(), data.toString())
        .redirectErrorStream(true).start();
    Path pidFile = data.toAbsolutePath().resolve("postgres/postmaster.pid");
    long leftoverPid = -1;
    try {
      awaitLine(child, "started");
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      leftoverPid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
      assertThat(ProcessHandle.of(leftoverPid)).as("PostgreSQL outlived its JVM").isPresent();

      try (HutongServer server = HutongServer.start(new ServerConfig(0, data, Optional.empty(),
          false))) {
        assertThat(ProcessHandle.of(leftoverPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Http.get(server.port(), "/health").status()).isEqualTo(200);
      }
    } finally {
      // Whatever failed above, leave no process behind.
      child.destroyForcibly();
      if (leftoverPid > 0) {
        ProcessHandle.of(leftoverPid).ifPresent(ProcessHandle::destroy);
      }
    }
  }

  private static void awaitLine(Process process, String expected) throws Exception {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals(expected)) {
        // Skip the child's log lines until it is up.
      }
      assertThat(line).as("the child printed " + expected).isEqualTo(expected);
    }
  }
}
