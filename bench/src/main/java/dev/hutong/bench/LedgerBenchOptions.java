package dev.hutong.bench;

/**
 * What `hutong bench ledger` measures, modelled on `tigerbeetle benchmark`.
 *
 * @param accounts accounts created before the run; transfers pick debit and credit among them
 * @param transfers transfers submitted in the measured run
 * @param hotPercent share of transfers that credit one hot account (a busy merchant), 0–100
 * @param pending two-phase: every other batch is pending transfers, the next posts them
 * @param baselineSeconds how long the per-transfer-transaction baseline runs
 * @param dbUrl an external PostgreSQL to use instead of a fresh embedded one (null: embedded)
 * @param batchSize transfers per request; 8189 (a full batch) unless trading throughput for latency
 */
public record LedgerBenchOptions(
    int accounts, int transfers, int hotPercent, boolean pending, int baselineSeconds,
    String dbUrl, int batchSize) {
  public static final int ACCOUNTS_MAX = 50_000_000;
  public static final int TRANSFERS_MAX = 100_000_000;

  public LedgerBenchOptions {
    if (accounts < 2 || accounts > ACCOUNTS_MAX) {
      throw new IllegalArgumentException("--accounts must be 2 to " + ACCOUNTS_MAX);
    }
    if (transfers < 1 || transfers > TRANSFERS_MAX) {
      throw new IllegalArgumentException("--transfers must be 1 to " + TRANSFERS_MAX);
    }
    if (hotPercent < 0 || hotPercent > 100) {
      throw new IllegalArgumentException("--hot-percent must be 0 to 100");
    }
    if (batchSize < 1 || batchSize > 8189) {
      throw new IllegalArgumentException("--batch-size must be 1 to 8189");
    }
    if (baselineSeconds < 1 || baselineSeconds > 600) {
      throw new IllegalArgumentException("baseline seconds must be 1 to 600");
    }
  }

  public static LedgerBenchOptions defaults() {
    return new LedgerBenchOptions(10_000, 1_000_000, 0, false, 15, null, 8189);
  }

  /** Small enough to finish in under a minute on a 2-core machine. */
  public LedgerBenchOptions quick() {
    return new LedgerBenchOptions(accounts, Math.min(transfers, 300_000), hotPercent, pending, 5, dbUrl,
        batchSize);
  }
}
