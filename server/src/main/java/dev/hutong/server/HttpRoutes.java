package dev.hutong.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import dev.hutong.server.web.Routes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
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
  private final Optional<GatewayRoute> gateway;
  private final Optional<AdminRoutes> admin;
  private final Optional<RuntimeRoutes> runtime;
  /** The browser-facing groups (the shell's API and files, ...), in registration order. */
  private final List<Routes> groups;

  /** Health and metrics only (tests of the routing itself). */
  HttpRoutes(HealthCheck health, ServerMetrics metrics, Json json) {
    this(health, metrics, json, Optional.empty(), Optional.empty());
  }

  HttpRoutes(HealthCheck health, ServerMetrics metrics, Json json, Optional<GatewayRoute> gateway,
      Optional<AdminRoutes> admin) {
    this(health, metrics, json, gateway, admin, List.of());
  }

  HttpRoutes(HealthCheck health, ServerMetrics metrics, Json json, Optional<GatewayRoute> gateway,
      Optional<AdminRoutes> admin, List<Routes> groups) {
    this(health, metrics, json, gateway, admin, Optional.empty(), groups);
  }

  HttpRoutes(HealthCheck health, ServerMetrics metrics, Json json, Optional<GatewayRoute> gateway,
      Optional<AdminRoutes> admin, Optional<RuntimeRoutes> runtime, List<Routes> groups) {
    this.runtime = runtime;
    this.groups = List.copyOf(groups);
    this.health = health;
    this.metrics = metrics;
    this.json = json;
    this.gateway = gateway;
    this.admin = admin;
  }

  HttpRouting.Builder routing() {
    HttpRouting.Builder routing = HttpRouting.builder();
    // First: requests for an app's origin (by Host) never reach the shell's routes.
    runtime.ifPresent(r -> r.registerFirst(routing));
    routing
        .get("/health", this::health)
        .get("/metrics", this::metrics);
    // Every HTTP method: the gateway itself answers anything but GET and POST with its own error.
    gateway.ifPresent(g -> routing.any(GatewayRoute.PATH, g::handle));
    runtime.ifPresent(r -> r.register(routing));
    admin.ifPresent(a -> a.register(routing));
    groups.forEach(g -> g.register(routing));
    return routing
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
