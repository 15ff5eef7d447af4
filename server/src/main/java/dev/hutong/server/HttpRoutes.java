package dev.hutong.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every HTTP route of the server, in one place, in the order they are matched. */
final class HttpRoutes {
  private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);
  /** Longest request path echoed back in a 404, so an error body stays small. */
  private static final int ECHOED_PATH_CHARS_MAX = 200;

  private final HealthCheck health;
  private final ServerMetrics metrics;
  private final Json json;

  HttpRoutes(HealthCheck health, ServerMetrics metrics, Json json) {
    this.health = health;
    this.metrics = metrics;
    this.json = json;
  }

  HttpRouting.Builder routing() {
    return HttpRouting.builder()
        .get("/health", this::health)
        .get("/metrics", this::metrics)
        // Last: whatever no route above matched.
        .any(this::notFound)
        .error(Exception.class, this::internalError);
  }

  private void health(ServerRequest request, ServerResponse response) {
    HealthCheck.Report report = health.check();
    json.send(response, report.up() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, report);
  }

  private void metrics(ServerRequest request, ServerResponse response) {
    response.header(HeaderNames.CONTENT_TYPE, ServerMetrics.CONTENT_TYPE);
    response.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
  }

  private void notFound(ServerRequest request, ServerResponse response) {
    String path = request.path().rawPath();
    if (path.length() > ECHOED_PATH_CHARS_MAX) {
      path = path.substring(0, ECHOED_PATH_CHARS_MAX) + "...";
    }
    json.sendError(response, Status.NOT_FOUND_404, "not_found",
        "no route for " + request.prologue().method().text() + " " + path);
  }

  private void internalError(ServerRequest request, ServerResponse response, Exception e) {
    log.error("{} {} failed", request.prologue().method().text(), request.path().rawPath(), e);
    if (!response.isSent()) {
      json.sendError(response, Status.INTERNAL_SERVER_ERROR_500, "internal_error",
          "the server failed to handle this request; the details are in the server log");
    }
  }
}
