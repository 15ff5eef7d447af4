package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
}
