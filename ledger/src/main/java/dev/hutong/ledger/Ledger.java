package dev.hutong.ledger;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * The ledger: TigerBeetle's accounts and transfers on PostgreSQL, behind one batching writer.
 * Thread-safe; every method may be called from any number of threads (virtual threads welcome:
 * callers block on a future, not a lock).
 *
 * <p>Before {@link #start}, run the module's migrations: {@code Migrations.migrate(ds, "ledger")}.
 */
public final class Ledger implements AutoCloseable {
  /** The Flyway location under db/migration/ that holds this module's schema. */
  public static final String SCHEMA_MODULE = "ledger";
  /** Ids accepted by one lookup. */
  public static final int LOOKUP_IDS_MAX = 8189;
  /** How long a caller waits for its batch before being told the ledger is unavailable. */
  private static final long ANSWER_TIMEOUT_SECONDS = 60;

  private final LedgerStore store;
  private final LedgerWriter writer;
  private final Thread writerThread;
  private final LedgerSettings settings;

  private Ledger(LedgerStore store, LedgerWriter writer, LedgerSettings settings) {
    this.store = store;
    this.writer = writer;
    this.settings = settings;
    this.writerThread = new Thread(writer, "ledger-writer");
  }

  /** Loads balances and open pending transfers from the database and starts the writer. */
  public static Ledger start(DataSource dataSource, LedgerSettings settings) {
    return start(dataSource, settings, LedgerClock.system());
  }

  public static Ledger start(DataSource dataSource, LedgerSettings settings, LedgerClock clock) {
    LedgerStore store = new LedgerStore(dataSource);
    StateMachine state;
    try {
      state = store.load();
    } catch (SQLException e) {
      throw new LedgerUnavailableException("could not load the ledger from the database", e);
    }
    Ledger ledger = new Ledger(store, new LedgerWriter(state, store, clock, settings), settings);
    ledger.writerThread.start();
    return ledger;
  }

  /** Creates accounts; one result per account, in order. Blocks until committed. */
  public List<CreateAccountResult> createAccounts(List<Account> accounts) {
    return await(submitAccounts(accounts));
  }

  /** Creates transfers; one result per transfer, in order. Blocks until committed. */
  public List<CreateTransferResult> createTransfers(List<Transfer> transfers) {
    return await(submitTransfers(transfers));
  }

  /** Queues accounts for creation; the future completes after the batch commits. */
  public CompletableFuture<List<CreateAccountResult>> submitAccounts(List<Account> accounts) {
    checkSize(accounts.size());
    CompletableFuture<List<CreateAccountResult>> future = new CompletableFuture<>();
    enqueue(new LedgerWriter.AccountsRequest(List.copyOf(accounts), future));
    return future;
  }

  /** Queues transfers; the future completes after the batch commits. */
  public CompletableFuture<List<CreateTransferResult>> submitTransfers(List<Transfer> transfers) {
    checkSize(transfers.size());
    CompletableFuture<List<CreateTransferResult>> future = new CompletableFuture<>();
    enqueue(new LedgerWriter.TransfersRequest(List.copyOf(transfers), future));
    return future;
  }

  /** Committed accounts with these ids (missing ids are left out). */
  public List<Account> lookupAccounts(Collection<UUID> ids) {
    checkLookup(ids);
    return read(() -> store.lookupAccounts(ids));
  }

  public List<Transfer> lookupTransfers(Collection<UUID> ids) {
    checkLookup(ids);
    return read(() -> store.lookupTransfers(ids));
  }

  /** A page of the account's transfers. */
  public List<Transfer> accountTransfers(AccountFilter filter) {
    return read(() -> store.accountTransfers(filter));
  }

  /** A page of the account's balance history (only for accounts with the HISTORY flag). */
  public List<AccountBalance> accountBalances(AccountFilter filter) {
    return read(() -> store.accountBalances(filter));
  }

  /** Where pending transfers stand (ids that are not pending transfers are left out). */
  public Map<UUID, PendingStatus> pendingStatus(Collection<UUID> ids) {
    checkLookup(ids);
    return read(() -> store.pendingStatus(ids));
  }

  public LedgerStats stats() {
    return new LedgerStats(writer.queueDepth(), writer.batchesCommitted.get(),
        writer.transfersCommitted.get(), writer.accountsCreated.get(), writer.commitFailures.get(),
        writer.pendingCount(), writer.prefetchNanos.get() / 1_000_000,
        writer.applyNanos.get() / 1_000_000, writer.commitNanos.get() / 1_000_000);
  }

  public LedgerSettings settings() {
    return settings;
  }

  /** Stops taking requests, finishes the queued ones, and stops the writer. */
  @Override
  public void close() {
    writer.stop();
    try {
      writerThread.join(TimeUnit.SECONDS.toMillis(ANSWER_TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkSize(int size) {
    if (size < 1 || size > settings.batchEventsMax()) {
      throw new IllegalArgumentException(
          "a request holds 1 to " + settings.batchEventsMax() + " events, got " + size);
    }
  }

  private static void checkLookup(Collection<UUID> ids) {
    if (ids.size() > LOOKUP_IDS_MAX) {
      throw new IllegalArgumentException("look up at most " + LOOKUP_IDS_MAX + " ids at once");
    }
  }

  private void enqueue(LedgerWriter.Request request) {
    try {
      writer.submit(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerUnavailableException("interrupted while waiting for room in the ledger queue", e);
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new LedgerUnavailableException("the ledger failed", e.getCause());
    } catch (TimeoutException e) {
      throw new LedgerUnavailableException("the ledger did not answer within "
          + ANSWER_TIMEOUT_SECONDS + " s; retry with the same ids", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerUnavailableException("interrupted while waiting for the ledger", e);
    }
  }

  @FunctionalInterface
  private interface Read<T> {
    T run() throws SQLException;
  }

  private static <T> T read(Read<T> read) {
    try {
      return read.run();
    } catch (SQLException e) {
      throw new LedgerUnavailableException("could not read the ledger", e);
    }
  }
}
