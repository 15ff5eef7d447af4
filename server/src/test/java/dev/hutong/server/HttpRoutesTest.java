package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.ledger.LedgerStats;
import io.helidon.webserver.WebServer;
import java.lang.reflect.Proxy;
import java.net.http.HttpRequest;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routes on their own, with a database that refuses every connection. */
class HttpRoutesTest {
  private ServerMetrics metrics;
  private WebServer server;

  @BeforeEach
  void startWithUnreachableDatabase() {
    metrics = new ServerMetrics();
    HealthCheck health = new HealthCheck(
        new DatabaseProbe(refusingDataSource(), Duration.ofSeconds(2)), "external",
        () -> new LedgerStats(3, 10, 500, 20, 1, 2, 4, 5, 6));
    HttpRoutes routes = new HttpRoutes(health, metrics, new Json(new ObjectMapper()));
    server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
        .routing(routes.routing()).build().start();
  }

  @AfterEach
  void stop() {
    server.stop();
    metrics.close();
  }

  @Test
  void healthIs503WithTheReasonWhenTheDatabaseIsUnreachable() throws Exception {
    Http.Response response = Http.get(server.port(), "/health");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.contentType()).startsWith("application/json");
    JsonNode body = response.json();
    assertThat(body.path("status").asText()).isEqualTo("DOWN");
    assertThat(body.path("reason").asText())
        .isEqualTo("database unreachable: Connection to 127.0.0.1:5432 refused");
    assertThat(body.path("database").path("reachable").asBoolean()).isFalse();
    assertThat(body.path("database").path("kind").asText()).isEqualTo("external");
    // The ledger's counters are reported even when the database is down: they explain why.
    assertThat(body.path("ledger").path("queueDepth").asLong()).isEqualTo(3);
    assertThat(body.path("ledger").path("commitFailures").asLong()).isEqualTo(1);
  }

  @Test
  void unknownPathsAndMethodsGetAJson404() throws Exception {
    Http.Response response = Http.get(server.port(), "/no/such/page?x=1");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.json().path("error").asText()).isEqualTo("not_found");
    assertThat(response.json().path("message").asText()).isEqualTo("no route for GET /no/such/page");

    Http.Response post = Http.send(server.port(), HttpRequest.newBuilder(
        Http.uri(server.port(), "/health")).POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(post.status()).isEqualTo(404);
    assertThat(post.json().path("message").asText()).isEqualTo("no route for POST /health");
  }

  @Test
  void metricsAreServedWhileTheDatabaseIsDown() throws Exception {
    Http.Response response = Http.get(server.port(), "/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/plain");
    assertThat(response.body()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads");
  }

  /** A data source whose every connection attempt fails as PostgreSQL's driver does when down. */
  private static DataSource refusingDataSource() {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }
}
