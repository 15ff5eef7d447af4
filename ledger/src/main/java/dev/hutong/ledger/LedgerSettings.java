package dev.hutong.ledger;

/**
 * The writer's limits. Every queue and batch is bounded; these are the bounds.
 *
 * @param queueRequestsMax requests that may wait for the writer; submitters block beyond it
 *     (back-pressure instead of unbounded memory)
 * @param batchEventsMax events (transfers or accounts) committed in one database transaction;
 *     8189 as in TigerBeetle, the most that fit its 1 MiB message
 * @param batchLingerMicros how long the writer waits for more requests when a batch is not full;
 *     trades a little latency at low load for fuller batches
 * @param commitAttemptsMax commits retried on a serialization failure before callers are failed
 */
public record LedgerSettings(
    int queueRequestsMax, int batchEventsMax, int batchLingerMicros, int commitAttemptsMax) {
  public static final int BATCH_EVENTS_LIMIT = 8189;

  public LedgerSettings {
    require(queueRequestsMax >= 1 && queueRequestsMax <= 1_000_000, "queueRequestsMax", queueRequestsMax);
    require(batchEventsMax >= 1 && batchEventsMax <= BATCH_EVENTS_LIMIT, "batchEventsMax", batchEventsMax);
    require(batchLingerMicros >= 0 && batchLingerMicros <= 1_000_000, "batchLingerMicros", batchLingerMicros);
    require(commitAttemptsMax >= 1 && commitAttemptsMax <= 100, "commitAttemptsMax", commitAttemptsMax);
  }

  public static LedgerSettings defaults() {
    return new LedgerSettings(16_384, BATCH_EVENTS_LIMIT, 1_000, 5);
  }

  private static void require(boolean ok, String name, long value) {
    if (!ok) {
      throw new IllegalArgumentException("ledger setting " + name + " out of range: " + value);
    }
  }
}
