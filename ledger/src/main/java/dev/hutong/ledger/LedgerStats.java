package dev.hutong.ledger;

/** Counters for metrics and health checks. */
public record LedgerStats(
    long queueDepth, long batchesCommitted, long transfersCommitted, long accountsCreated,
    long commitFailures, long pendingTransfers) {}
