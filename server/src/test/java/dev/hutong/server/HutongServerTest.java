package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.db.TestDatabases;
import java.net.ConnectException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server, on a fresh database of the test PostgreSQL (embedded or external). */
@Tag("db")
class HutongServerTest {
  @TempDir static Path dataDirectory;
  private static String databaseUrl;
  private static HutongServer server;

  @BeforeAll
  static void start() {
    databaseUrl = TestDatabases.createDatabase("server");
    server = HutongServer.start(new ServerConfig(0, dataDirectory,
        java.util.Optional.of(databaseUrl), false));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void healthReportsUpWithTheDatabaseReachable() throws Exception {
    Http.Response response = Http.get(server.port(), "/health");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    JsonNode body = response.json();
    assertThat(body.path("status").asText()).isEqualTo("UP");
    assertThat(body.has("reason")).isFalse();
    assertThat(body.path("database").path("reachable").asBoolean()).isTrue();
    assertThat(body.path("database").path("kind").asText()).isEqualTo("external");
    assertThat(body.path("database").path("latencyMs").isIntegralNumber()).isTrue();
    JsonNode ledger = body.path("ledger");
    for (String counter : new String[] {"queueDepth", "batchesCommitted", "transfersCommitted",
        "accountsCreated", "commitFailures", "pendingTransfers", "prefetchMillis", "applyMillis",
        "commitMillis"}) {
      assertThat(ledger.path(counter).isIntegralNumber()).as(counter).isTrue();
    }
  }

  @Test
  void ledgerCountersAreExposedAsPrometheusMetrics() throws Exception {
    Http.Response metrics = Http.get(server.port(), "/metrics");
    assertThat(metrics.body())
        .contains("# TYPE hutong_ledger_queue_depth gauge")
        .contains("# TYPE hutong_ledger_batches_committed_total counter")
        .contains("hutong_ledger_transfers_committed_total")
        .contains("hutong_ledger_account_creations_total")
        .contains("hutong_ledger_commit_failures_total")
        .contains("hutong_ledger_pending_transfers")
        .contains("# TYPE hutong_ledger_writer_commit_seconds_total counter")
        .contains("hutong_ledger_writer_prefetch_seconds_total")
        .contains("hutong_ledger_writer_apply_seconds_total");
  }

  @Test
  void metricsArePrometheusTextWithJvmMetrics() throws Exception {
    Http.Response response = Http.get(server.port(), "/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(response.body())
        .contains("# TYPE jvm_memory_used_bytes gauge")
        .contains("jvm_threads_live_threads")
        .contains("jvm_classes_loaded_classes")
        .contains("process_uptime_seconds");
  }

  @Test
  void unknownPathsGetAJson404() throws Exception {
    Http.Response response = Http.get(server.port(), "/nothing-here");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("error").asText()).isEqualTo("not_found");
    assertThat(response.json().path("message").asText()).isEqualTo("no route for GET /nothing-here");
  }

  @Test
  void bannerSaysWhereItListensWhichDatabaseWithoutThePasswordAndHowToStop() {
    assertThat(server.banner()).containsExactly(
        "Hutong is listening on http://127.0.0.1:" + server.port() + "/",
        "Database: external PostgreSQL " + JdbcUrls.maskPassword(databaseUrl),
        "Operator token: " + dataDirectory.toAbsolutePath().resolve("operator.token")
            + " (for hutong admin; new at every start)",
        "Press Ctrl-C to stop");
  }

  @Test
  void aTakenPortIsReportedBeforeAnythingElseStarts(@TempDir Path otherData) {
    ServerConfig samePort = new ServerConfig(server.port(), otherData,
        java.util.Optional.of(databaseUrl), false);
    assertThatThrownBy(() -> HutongServer.start(samePort))
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith("port " + server.port() + " on 127.0.0.1 is already in use")
        .hasMessageEndingWith("stop the program using it or choose another with --port");
    // The failed start released the data directory it had locked.
    DataDirectoryTestSupport.assertUnlocked(otherData);
  }

  @Test
  void aLockedDataDirectoryIsReported() {
    ServerConfig sameData = new ServerConfig(0, dataDirectory,
        java.util.Optional.of(databaseUrl), false);
    assertThatThrownBy(() -> HutongServer.start(sameData))
        .isInstanceOf(ServerStartException.class)
        .hasMessageContaining("is in use by another Hutong");
  }

  @Test
  void anUnreachableExternalDatabaseIsReportedWithTheUrlMasked(@TempDir Path otherData) {
    ServerConfig unreachable = new ServerConfig(0, otherData,
        java.util.Optional.of("jdbc:postgresql://127.0.0.1:1/none?user=u&password=secret"), false);
    assertThatThrownBy(() -> HutongServer.start(unreachable))
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith("cannot connect to the external PostgreSQL "
            + "jdbc:postgresql://127.0.0.1:1/none?user=u&password=****: ")
        .hasMessageEndingWith("check that it is running and that the URL, user and password are right")
        .message().doesNotContain("secret");
    DataDirectoryTestSupport.assertUnlocked(otherData);
  }

  @Test
  void closeStopsTheWebServer(@TempDir Path otherData) throws Exception {
    HutongServer second = HutongServer.start(new ServerConfig(0, otherData,
        java.util.Optional.of(databaseUrl), false));
    int port = second.port();
    assertThat(Http.get(port, "/health").status()).isEqualTo(200);
    second.close();
    second.close();
    assertThatThrownBy(() -> Http.get(port, "/health")).isInstanceOf(ConnectException.class);
    DataDirectoryTestSupport.assertUnlocked(otherData);
  }
}
