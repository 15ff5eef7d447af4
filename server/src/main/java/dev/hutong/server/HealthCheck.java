package dev.hutong.server;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Whether Hutong can do its work right now, as /health reports it. */
final class HealthCheck {
  /** The JSON body of /health. {@code reason} is present only when the status is DOWN. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Report(String status, String reason, DatabaseStatus database) {
    boolean up() {
      return "UP".equals(status);
    }
  }

  /** The database part of the report. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DatabaseStatus(boolean reachable, String kind, Long latencyMs) {}

  private final DatabaseProbe probe;
  private final String databaseKind;

  /** @param databaseKind "embedded" or "external", shown so an operator sees which one is down */
  HealthCheck(DatabaseProbe probe, String databaseKind) {
    this.probe = probe;
    this.databaseKind = databaseKind;
  }

  Report check() {
    DatabaseProbe.Result db = probe.check();
    if (!db.reachable()) {
      return new Report("DOWN", "database unreachable: " + db.reason(),
          new DatabaseStatus(false, databaseKind, null));
    }
    return new Report("UP", null, new DatabaseStatus(true, databaseKind, db.latencyMs()));
  }
}
