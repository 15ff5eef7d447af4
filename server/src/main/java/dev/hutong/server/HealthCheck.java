package dev.hutong.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hutong.ledger.LedgerStats;
import java.util.function.Supplier;

/** Whether Hutong can do its work right now, as /health reports it. */
final class HealthCheck {
  /** The JSON body of /health. {@code reason} is present only when the status is DOWN. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Report(String status, String reason, DatabaseStatus database, LedgerStats ledger) {
    boolean up() {
      return "UP".equals(status);
    }
  }

  /** The database part of the report. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DatabaseStatus(boolean reachable, String kind, Long latencyMs) {}

  private final DatabaseProbe probe;
  private final String databaseKind;
  private final Supplier<LedgerStats> ledgerStats;

  /**
   * @param databaseKind "embedded" or "external", shown so an operator sees which one is down
   * @param ledgerStats the ledger's counters (the ledger's own stats method in the server)
   */
  HealthCheck(DatabaseProbe probe, String databaseKind, Supplier<LedgerStats> ledgerStats) {
    this.probe = probe;
    this.databaseKind = databaseKind;
    this.ledgerStats = ledgerStats;
  }

  Report check() {
    DatabaseProbe.Result db = probe.check();
    LedgerStats ledger = ledgerStats.get();
    if (!db.reachable()) {
      return new Report("DOWN", "database unreachable: " + db.reason(),
          new DatabaseStatus(false, databaseKind, null), ledger);
    }
    return new Report("UP", null, new DatabaseStatus(true, databaseKind, db.latencyMs()), ledger);
  }
}
