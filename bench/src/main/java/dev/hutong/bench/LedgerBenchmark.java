package dev.hutong.bench;

import dev.hutong.db.Migrations;
import dev.hutong.ledger.Account;
import dev.hutong.ledger.CreateAccountResult;
import dev.hutong.ledger.CreateTransferResult;
import dev.hutong.ledger.Ids;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerInvariants;
import dev.hutong.ledger.LedgerSettings;
import dev.hutong.ledger.Transfer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;

/**
 * `hutong bench ledger`: accepted transfers per second through the batching writer on a durable
 * database, and in the same run the per-transfer-transaction baseline on the same database.
 */
public final class LedgerBenchmark {
  /**
   * Requests in flight, as a TigerBeetle client: one, so that batch latency is the writer's time
   * for one batch, not time spent queued behind others. The next batch is generated meanwhile.
   */
  private static final int IN_FLIGHT_MAX = 1;
  private static final int LEDGER = 156;
  private static final int CODE = 1;
  private static final long SEED = 42;

  private final LedgerBenchOptions options;
  private final PrintStream out;

  public LedgerBenchmark(LedgerBenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Measured figures; {@link #resultLine()} is the machine-readable last line. */
  public record Result(double acceptedTps, double baselineTps, double batchP1Ms, double batchP50Ms,
      double batchP99Ms, double batchP100Ms, long failedTransfers, List<String> violations,
      int hotPercent, int accounts) {
    public double ratio() {
      return baselineTps == 0 ? 0 : acceptedTps / baselineTps;
    }

    public String resultLine() {
      return String.format(Locale.ROOT, "RESULT bench=ledger accepted_tps=%.0f baseline_tps=%.0f"
          + " ratio=%.1f batch_p99_ms=%.1f hot_percent=%d accounts=%d", acceptedTps, baselineTps,
          ratio(), batchP99Ms, hotPercent, accounts);
    }
  }

  public Result run() throws Exception {
    out.printf(Locale.ROOT, "ledger benchmark: %,d accounts, %,d transfers, hot %d%%, %s, batches of %d%n",
        options.accounts(), options.transfers(), options.hotPercent(),
        options.pending() ? "two-phase (pending then post)" : "single-phase", options.batchSize());
    out.printf(Locale.ROOT, "machine: %d cores, max heap %,d MiB, %s %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.vm.name"), System.getProperty("java.version"));
    int cores = Runtime.getRuntime().availableProcessors();
    try (BenchDatabase db = BenchDatabase.open(options.dbUrl(), 2 * cores + 4, out)) {
      DataSource ds = db.pool();
      Migrations.migrate(ds, Ledger.SCHEMA_MODULE);
      Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
      double tps;
      long failed;
      try (Ledger ledger = Ledger.start(ds, LedgerSettings.defaults())) {
        UUID[] accounts = createAccounts(ledger);
        long heapUsed = usedHeapMib();
        out.printf(Locale.ROOT, "heap in use after loading accounts: %,d MiB%n", heapUsed);
        AtomicLong failures = new AtomicLong();
        tps = runTransfers(ledger, accounts, latency, failures);
        failed = failures.get();
        var stats = ledger.stats();
        out.printf(Locale.ROOT, "writer time: prefetch %,d ms, rules %,d ms, commit %,d ms over %,d batches%n",
            stats.prefetchMillis(), stats.applyMillis(), stats.commitMillis(), stats.batchesCommitted());
      }
      List<String> violations = checkInvariants(ds);
      double baselineTps = runBaseline(ds, cores);
      Result r = new Result(tps, baselineTps, ms(latency.getValueAtPercentile(1)),
          ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
          ms(latency.getMaxValue()), failed, violations, options.hotPercent(), options.accounts());
      report(r);
      return r;
    }
  }

  private UUID[] createAccounts(Ledger ledger) {
    int n = options.accounts();
    UUID[] ids = new UUID[n];
    int batch = LedgerSettings.BATCH_EVENTS_LIMIT;
    BenchProgress progress = new BenchProgress(out, "accounts", n);
    List<CompletableFuture<List<CreateAccountResult>>> inFlight = new ArrayList<>();
    for (int from = 0; from < n; from += batch) {
      List<Account> accounts = new ArrayList<>(batch);
      for (int i = from; i < Math.min(n, from + batch); i++) {
        ids[i] = Ids.next();
        accounts.add(Account.open(ids[i], LEDGER, CODE, 0));
      }
      inFlight.add(ledger.submitAccounts(accounts));
      if (inFlight.size() >= IN_FLIGHT_MAX) {
        expectAllCreated(inFlight.remove(0).join());
      }
      progress.update(Math.min(n, from + batch));
    }
    inFlight.forEach(f -> expectAllCreated(f.join()));
    progress.done();
    return ids;
  }

  private static void expectAllCreated(List<CreateAccountResult> results) {
    for (CreateAccountResult r : results) {
      if (r != CreateAccountResult.CREATED) {
        throw new IllegalStateException("account creation failed: " + r.code());
      }
    }
  }

  /** Submits batches one at a time, generating the next while the last is in flight. */
  private double runTransfers(Ledger ledger, UUID[] accounts, Histogram latency, AtomicLong failures)
      throws InterruptedException {
    SplittableRandom random = new SplittableRandom(SEED);
    Semaphore slots = new Semaphore(IN_FLIGHT_MAX);
    int total = options.transfers();
    BenchProgress progress = new BenchProgress(out, "transfers", total);
    List<Transfer> lastPending = null;
    long start = System.nanoTime();
    for (int sent = 0; sent < total; ) {
      int size = Math.min(options.batchSize(), total - sent);
      List<Transfer> transfers;
      if (options.pending() && lastPending != null) {
        transfers = posts(lastPending, size);
        lastPending = null;
      } else {
        transfers = generate(random, accounts, size, options.pending());
        lastPending = options.pending() ? transfers : null;
      }
      slots.acquire();
      long submitted = System.nanoTime();
      ledger.submitTransfers(transfers).whenComplete((results, error) -> {
        record(latency, System.nanoTime() - submitted);
        long bad = error != null ? transfers.size()
            : results.stream().filter(r -> r != CreateTransferResult.CREATED).count();
        failures.addAndGet(bad);
        slots.release();
      });
      sent += transfers.size();
      progress.update(sent);
    }
    slots.acquire(IN_FLIGHT_MAX);
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.done();
    return total / seconds;
  }

  private static void record(Histogram latency, long nanos) {
    synchronized (latency) {
      latency.recordValue(Math.min(nanos, latency.getHighestTrackableValue()));
    }
  }

  private List<Transfer> generate(SplittableRandom random, UUID[] accounts, int size, boolean pending) {
    List<Transfer> out = new ArrayList<>(size);
    int hot = options.hotPercent();
    while (out.size() < size) {
      int dr = random.nextInt(accounts.length);
      int cr = hot > 0 && random.nextInt(100) < hot ? 0 : random.nextInt(accounts.length);
      if (dr == cr) {
        continue;
      }
      long amount = 1 + random.nextInt(1000);
      out.add(pending ? Transfer.pending(Ids.next(), accounts[dr], accounts[cr], amount, LEDGER, CODE, 0)
          : Transfer.of(Ids.next(), accounts[dr], accounts[cr], amount, LEDGER, CODE));
    }
    return out;
  }

  private static List<Transfer> posts(List<Transfer> pending, int size) {
    List<Transfer> out = new ArrayList<>(size);
    for (int i = 0; i < Math.min(size, pending.size()); i++) {
      out.add(Transfer.post(Ids.next(), pending.get(i).id(), 0));
    }
    return out;
  }

  private List<String> checkInvariants(DataSource ds) throws Exception {
    out.println("checking ledger invariants over every committed row ...");
    List<String> violations = LedgerInvariants.violations(ds);
    out.println(violations.isEmpty() ? "invariants hold" : "INVARIANT VIOLATIONS: " + violations);
    return violations;
  }

  private double runBaseline(DataSource ds, int cores) throws Exception {
    int threads = 2 * cores;
    out.printf(Locale.ROOT, "baseline: one transaction per transfer, SELECT ... FOR UPDATE,"
        + " %d client threads, %d s ...%n", threads, options.baselineSeconds());
    Baseline baseline = new Baseline(ds, options.accounts(), options.hotPercent());
    baseline.prepare();
    double tps = baseline.run(threads, options.baselineSeconds());
    out.printf(Locale.ROOT, "baseline: %,.0f transfers/s%n", tps);
    return tps;
  }

  private void report(Result r) {
    out.printf(Locale.ROOT, "load accepted = %,.0f tx/s%n", r.acceptedTps());
    out.printf(Locale.ROOT, "batch latency p1 = %.1f ms%n", r.batchP1Ms());
    out.printf(Locale.ROOT, "batch latency p50 = %.1f ms%n", r.batchP50Ms());
    out.printf(Locale.ROOT, "batch latency p99 = %.1f ms%n", r.batchP99Ms());
    out.printf(Locale.ROOT, "batch latency p100 = %.1f ms%n", r.batchP100Ms());
    out.printf(Locale.ROOT, "baseline = %,.0f tx/s, ratio = %.1fx%n", r.baselineTps(), r.ratio());
    if (r.failedTransfers() > 0) {
      out.printf(Locale.ROOT, "WARNING: %,d transfers were not created%n", r.failedTransfers());
    }
    out.println(r.resultLine());
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static long usedHeapMib() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }
}
