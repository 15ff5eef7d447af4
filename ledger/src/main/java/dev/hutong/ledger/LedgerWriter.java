package dev.hutong.ledger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: the only code that changes balances. Requests wait in a bounded queue; the
 * writer takes as many as fit in one batch, runs them through the state machine against the
 * balances it holds in memory, commits the batch in one database transaction, and only then
 * answers every request in it.
 */
final class LedgerWriter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);
  /** The longest the writer sleeps when idle before checking for due expiries again. */
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** One caller's request: a list of events and the future its results complete. */
  sealed interface Request permits AccountsRequest, TransfersRequest {
    int size();

    void fail(Throwable cause);
  }

  record AccountsRequest(List<Account> events, CompletableFuture<List<CreateAccountResult>> future)
      implements Request {
    public int size() {
      return events.size();
    }

    public void fail(Throwable cause) {
      future.completeExceptionally(cause);
    }
  }

  record TransfersRequest(List<Transfer> events, CompletableFuture<List<CreateTransferResult>> future)
      implements Request {
    public int size() {
      return events.size();
    }

    public void fail(Throwable cause) {
      future.completeExceptionally(cause);
    }
  }

  private final BlockingQueue<Request> queue;
  private final LedgerStore store;
  private final LedgerClock clock;
  private final LedgerSettings settings;
  private volatile StateMachine state;
  private volatile boolean running = true;
  private Request carried;

  final AtomicLong batchesCommitted = new AtomicLong();
  final AtomicLong transfersCommitted = new AtomicLong();
  final AtomicLong accountsCreated = new AtomicLong();
  final AtomicLong commitFailures = new AtomicLong();
  /** Where the writer's time goes, summed over batches: reading, rules, writing. */
  final AtomicLong prefetchNanos = new AtomicLong();
  final AtomicLong applyNanos = new AtomicLong();
  final AtomicLong commitNanos = new AtomicLong();
  private volatile int pendingCount;

  LedgerWriter(StateMachine state, LedgerStore store, LedgerClock clock, LedgerSettings settings) {
    this.state = state;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.queueRequestsMax());
    this.pendingCount = state.pendingCount();
  }

  /** Queues a request, blocking while the queue is full (back-pressure). */
  void submit(Request request) throws InterruptedException {
    if (!running) {
      throw new IllegalStateException("the ledger is closed");
    }
    queue.put(request);
    if (!running && queue.remove(request)) {
      // The writer stopped between the check above and the put, and may already have drained
      // the queue for the last time: nobody would answer this request.
      request.fail(new IllegalStateException("the ledger is closed"));
    }
  }

  int queueDepth() {
    return queue.size();
  }

  int pendingCount() {
    return pendingCount;
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    List<Request> batch = new ArrayList<>();
    while (running || carried != null || !queue.isEmpty()) {
      try {
        batch.clear();
        if (fill(batch) || clock.nowNanos() >= state.nextExpiry()) {
          process(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Request left;
    while ((left = queue.poll()) != null) {
      left.fail(new IllegalStateException("the ledger closed before this request ran"));
    }
  }

  /** Takes requests until the batch is full, or the queue stays empty for the linger time. */
  private boolean fill(List<Request> batch) throws InterruptedException {
    Request first = carried != null ? carried : queue.poll(idleWaitNanos(), TimeUnit.NANOSECONDS);
    carried = null;
    if (first == null) {
      return false;
    }
    batch.add(first);
    int events = first.size();
    long lingerUntil = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(settings.batchLingerMicros());
    while (events < settings.batchEventsMax()) {
      Request next = queue.poll();
      if (next == null) {
        long wait = lingerUntil - System.nanoTime();
        next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (next == null) {
          break;
        }
      }
      if (events + next.size() > settings.batchEventsMax()) {
        carried = next; // does not fit: it starts the next batch
        break;
      }
      batch.add(next);
      events += next.size();
    }
    return true;
  }

  private long idleWaitNanos() {
    long untilExpiry = state.nextExpiry() - clock.nowNanos();
    return Math.max(0, Math.min(IDLE_WAIT_NANOS, untilExpiry));
  }

  private void process(List<Request> batch) {
    try {
      long now = clock.nowNanos();
      long t0 = System.nanoTime();
      Prefetch prefetch = prefetch(batch);
      long t1 = System.nanoTime();
      BatchEffects effects = new BatchEffects();
      StateMachine s = state;
      s.begin(effects, prefetch, now);
      List<Object> results = new ArrayList<>(batch.size());
      for (Request r : batch) {
        results.add(r instanceof AccountsRequest a ? s.createAccounts(a.events(), now)
            : s.createTransfers(((TransfersRequest) r).events(), now));
      }
      s.end();
      long t2 = System.nanoTime();
      if (!effects.isEmpty()) {
        commit(effects, s);
        s.committed(effects);
      }
      long t3 = System.nanoTime();
      prefetchNanos.addAndGet(t1 - t0);
      applyNanos.addAndGet(t2 - t1);
      commitNanos.addAndGet(t3 - t2);
      account(effects);
      answer(batch, results);
    } catch (Exception | AssertionError | StackOverflowError e) {
      commitFailures.incrementAndGet();
      log.error("ledger batch of {} requests failed; callers are told to retry", batch.size(), e);
      LedgerUnavailableException failure = new LedgerUnavailableException(
          "the ledger could not commit this request; retry it with the same ids", e);
      batch.forEach(r -> r.fail(failure));
      reload();
    }
  }

  private Prefetch prefetch(List<Request> batch) throws SQLException {
    Set<UUID> transferIds = new LinkedHashSet<>();
    Set<UUID> resolvedPendingIds = new LinkedHashSet<>();
    Set<UUID> accountIds = new LinkedHashSet<>();
    AccountTable table = state.accounts();
    for (Request r : batch) {
      if (r instanceof TransfersRequest t) {
        for (Transfer e : t.events()) {
          if (state.mayBeStored(e.id())) {
            transferIds.add(e.id());
          }
          if (!Ids.isZero(e.pendingId()) && !state.isPending(e.pendingId())) {
            transferIds.add(e.pendingId());
            resolvedPendingIds.add(e.pendingId());
          }
        }
      } else {
        for (Account a : ((AccountsRequest) r).events()) {
          if (table.find(a.id()) >= 0) {
            accountIds.add(a.id());
          }
        }
      }
    }
    return store.prefetch(transferIds, resolvedPendingIds, accountIds);
  }

  private void commit(BatchEffects effects, StateMachine s) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        store.commit(effects, s.accounts());
        return;
      } catch (SQLException e) {
        if (!dev.hutong.db.Retry.isRetryable(e) || attempt >= settings.commitAttemptsMax()) {
          throw e;
        }
        log.warn("ledger commit hit a serialization failure, attempt {}", attempt);
      }
    }
  }

  private void account(BatchEffects effects) {
    batchesCommitted.incrementAndGet();
    transfersCommitted.addAndGet(effects.transfers.size());
    accountsCreated.addAndGet(effects.accounts.size());
    pendingCount = state.pendingCount();
  }

  @SuppressWarnings("unchecked")
  private static void answer(List<Request> batch, List<Object> results) {
    for (int i = 0; i < batch.size(); i++) {
      Request r = batch.get(i);
      if (r instanceof AccountsRequest a) {
        a.future().complete((List<CreateAccountResult>) results.get(i));
      } else {
        ((TransfersRequest) r).future().complete((List<CreateTransferResult>) results.get(i));
      }
    }
  }

  /**
   * After a failed commit the in-memory state is ahead of the database: throw it away and read
   * the truth again. Retries until the database answers or the ledger is closed.
   */
  private void reload() {
    for (int attempt = 1; running; attempt++) {
      try {
        state = store.load();
        pendingCount = state.pendingCount();
        log.info("ledger state reloaded from the database after a failed batch");
        return;
      } catch (SQLException | RuntimeException e) {
        log.error("reloading the ledger state failed (attempt {}); retrying", attempt, e);
        try {
          Thread.sleep(Math.min(5_000, 100L * attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
