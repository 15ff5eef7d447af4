package dev.hutong.server;

import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The ledger's counters as meters, read from {@link Ledger#stats()} at every scrape (nothing is
 * counted twice: the ledger's writer owns the numbers). Prometheus names:
 * {@code hutong_ledger_queue_depth}, {@code hutong_ledger_pending_transfers},
 * {@code hutong_ledger_batches_committed_total}, {@code hutong_ledger_transfers_committed_total},
 * {@code hutong_ledger_account_creations_total}, {@code hutong_ledger_commit_failures_total},
 * and the writer's time per phase: {@code hutong_ledger_writer_prefetch_seconds_total},
 * {@code hutong_ledger_writer_apply_seconds_total}, {@code hutong_ledger_writer_commit_seconds_total}.
 */
final class LedgerMetrics {
  private LedgerMetrics() {}

  static void bind(MeterRegistry registry, Ledger ledger) {
    gauge(registry, ledger, "hutong.ledger.queue.depth",
        "requests waiting for the ledger writer", LedgerStats::queueDepth);
    gauge(registry, ledger, "hutong.ledger.pending.transfers",
        "two-phase transfers pending (holds not yet posted or voided)",
        LedgerStats::pendingTransfers);
    counter(registry, ledger, "hutong.ledger.batches.committed",
        "batches the ledger writer committed", LedgerStats::batchesCommitted);
    counter(registry, ledger, "hutong.ledger.transfers.committed",
        "transfers committed", LedgerStats::transfersCommitted);
    counter(registry, ledger, "hutong.ledger.account.creations",
        "accounts created", LedgerStats::accountsCreated);
    counter(registry, ledger, "hutong.ledger.commit.failures",
        "batch commits that failed (callers were told)", LedgerStats::commitFailures);
    seconds(registry, ledger, "hutong.ledger.writer.prefetch",
        "writer time spent reading the rows a batch needs", LedgerStats::prefetchMillis);
    seconds(registry, ledger, "hutong.ledger.writer.apply",
        "writer time spent applying the rules to batches in memory", LedgerStats::applyMillis);
    seconds(registry, ledger, "hutong.ledger.writer.commit",
        "writer time spent committing batches", LedgerStats::commitMillis);
  }

  /** A running total of milliseconds, exposed in seconds as Prometheus expects. */
  private static void seconds(MeterRegistry registry, Ledger ledger, String name,
      String description, ToDoubleFunction<LedgerStats> millis) {
    FunctionCounter.builder(name, ledger, l -> millis.applyAsDouble(l.stats()) / 1000.0)
        .baseUnit("seconds")
        .description(description)
        .register(registry);
  }

  private static void gauge(MeterRegistry registry, Ledger ledger, String name,
      String description, ToDoubleFunction<LedgerStats> value) {
    Gauge.builder(name, ledger, l -> value.applyAsDouble(l.stats()))
        .description(description)
        .register(registry);
  }

  private static void counter(MeterRegistry registry, Ledger ledger, String name,
      String description, ToDoubleFunction<LedgerStats> value) {
    FunctionCounter.builder(name, ledger, l -> value.applyAsDouble(l.stats()))
        .description(description)
        .register(registry);
  }
}
