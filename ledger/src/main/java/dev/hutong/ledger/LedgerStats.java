package dev.hutong.ledger;

/**
 * Counters for metrics and health checks. The three *Millis figures add up the writer's time per
 * phase over all batches: reading prefetched rows, applying the rules in memory, committing.
 */
public record LedgerStats(
    long queueDepth, long batchesCommitted, long transfersCommitted, long accountsCreated,
    long commitFailures, long pendingTransfers, long prefetchMillis, long applyMillis,
    long commitMillis) {}
