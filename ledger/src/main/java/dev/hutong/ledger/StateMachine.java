package dev.hutong.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The ledger's rules, applied in memory by the single writer: validates each event against the
 * balances it holds, updates them, and records what the batch must write. Deterministic: the same
 * state, prefetched rows, events and clock give the same results. Not thread-safe by design —
 * only the writer thread owns it (LMAX's single writer).
 */
final class StateMachine {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final AccountTable accounts;
  /** Pending transfers that still hold money, by id. */
  private final Map<UUID, PendingTransfer> pending;
  /** The subset of {@link #pending} with a timeout, earliest expiry first. */
  private final TreeSet<PendingTransfer> expiryOrder;
  private long lastTimestamp;
  /**
   * The greatest transfer id stored (created or failed), in PostgreSQL's uuid order. An id above
   * it cannot be in the database, so the writer need not look it up: with time-ordered ids
   * (UUIDv7) that is almost every new transfer.
   */
  private UUID idHighWater;

  // Batch-local state, reset by begin().
  private BatchEffects effects;
  private Prefetch prefetch;
  private final Map<UUID, Transfer> createdInBatch = new HashMap<>();
  private final Map<UUID, Account> accountsInBatch = new HashMap<>();
  private final Map<UUID, CreateTransferResult> failedInBatch = new HashMap<>();
  /**
   * Pending transfers this batch released (expired, posted, voided). The prefetch ran before the
   * batch began and skipped pending transfers the writer still held, so a later post or void of
   * the same one in this batch finds the transfer here.
   */
  private final Map<UUID, Transfer> releasedInBatch = new HashMap<>();
  /** Undo actions of the linked chain being applied; null outside a chain. */
  private List<Runnable> undo;
  /** What this batch changed in total, to check double entry (wrapping sums are fine for equality). */
  private long deltaDebitsPending;
  private long deltaDebitsPosted;
  private long deltaCreditsPending;
  private long deltaCreditsPosted;

  StateMachine(AccountTable accounts, Map<UUID, PendingTransfer> pending, long lastTimestamp,
      UUID idHighWater) {
    this.idHighWater = idHighWater;
    this.accounts = accounts;
    this.pending = pending;
    this.expiryOrder = new TreeSet<>();
    for (PendingTransfer p : pending.values()) {
      if (p.expiresAt() != 0) {
        expiryOrder.add(p);
      }
    }
    this.lastTimestamp = lastTimestamp;
  }

  AccountTable accounts() {
    return accounts;
  }

  int pendingCount() {
    return pending.size();
  }

  long lastTimestamp() {
    return lastTimestamp;
  }

  /** The earliest expiry of a pending transfer, or Long.MAX_VALUE. */
  long nextExpiry() {
    return expiryOrder.isEmpty() ? Long.MAX_VALUE : expiryOrder.first().expiresAt();
  }

  /** True when a transfer with this id may be stored, so it must be looked up. */
  boolean mayBeStored(UUID id) {
    return Ids.compareUnsigned(id, idHighWater) <= 0;
  }

  /** After a commit: raises the high-water mark over the ids the batch stored. */
  void committed(BatchEffects e) {
    for (Transfer t : e.transfers) {
      if (Ids.compareUnsigned(t.id(), idHighWater) > 0) {
        idHighWater = t.id();
      }
    }
    for (BatchEffects.FailedTransfer f : e.failed) {
      if (Ids.compareUnsigned(f.id(), idHighWater) > 0) {
        idHighWater = f.id();
      }
    }
  }

  boolean isPending(UUID id) {
    return pending.containsKey(id);
  }

  /** Starts a batch: expires what is due at {@code now}, in expiry order. */
  void begin(BatchEffects batchEffects, Prefetch batchPrefetch, long now) {
    this.effects = batchEffects;
    this.prefetch = batchPrefetch;
    createdInBatch.clear();
    accountsInBatch.clear();
    failedInBatch.clear();
    releasedInBatch.clear();
    undo = null;
    deltaDebitsPending = 0;
    deltaDebitsPosted = 0;
    deltaCreditsPending = 0;
    deltaCreditsPosted = 0;
    while (!expiryOrder.isEmpty() && expiryOrder.first().expiresAt() <= now) {
      PendingTransfer p = expiryOrder.pollFirst();
      pending.remove(p.transfer().id());
      releasedInBatch.put(p.transfer().id(), p.transfer());
      release(p, nextTimestamp(now));
      effects.pendingResolved.put(p.transfer().id(), PendingStatus.EXPIRED);
    }
  }

  private long nextTimestamp(long now) {
    lastTimestamp = Math.max(now, lastTimestamp + 1);
    effects.lastTimestamp = lastTimestamp;
    return lastTimestamp;
  }

  // ---------------------------------------------------------------- accounts

  List<CreateAccountResult> createAccounts(List<Account> events, long now) {
    CreateAccountResult[] results = new CreateAccountResult[events.size()];
    int chainStart = -1;
    for (int i = 0; i < events.size(); i++) {
      Account a = events.get(i);
      boolean linked = a.hasFlag(AccountFlags.LINKED);
      if (chainStart < 0 && linked) {
        chainStart = i;
      }
      if (chainStart < 0) {
        results[i] = validateAccount(a, Map.of());
        if (results[i] == CreateAccountResult.CREATED) {
          insertAccount(a, now);
        }
      } else if (!linked || i == events.size() - 1) {
        createAccountChain(events, chainStart, i, linked, results, now);
        chainStart = -1;
      }
    }
    return List.of(results);
  }

  /**
   * Validates the whole chain first, then creates all of it or none of it. As in TigerBeetle, the
   * last event of a chain left open answers linked_event_chain_open even when an earlier event
   * already broke the chain.
   */
  private void createAccountChain(List<Account> events, int from, int to, boolean open,
      CreateAccountResult[] results, long now) {
    Map<UUID, Account> chain = new HashMap<>();
    int failedAt = -1;
    for (int i = from; i <= to && failedAt < 0; i++) {
      Account a = events.get(i);
      results[i] = open && i == to ? CreateAccountResult.LINKED_EVENT_CHAIN_OPEN
          : validateAccount(a, chain);
      if (!results[i].ok()) {
        failedAt = i;
      } else if (results[i] == CreateAccountResult.CREATED) {
        chain.put(a.id(), a);
      }
    }
    for (int i = from; i <= to; i++) {
      if (open && i == to) {
        results[i] = CreateAccountResult.LINKED_EVENT_CHAIN_OPEN;
      } else if (failedAt >= 0 && i != failedAt) {
        results[i] = CreateAccountResult.LINKED_EVENT_FAILED;
      } else if (failedAt < 0 && results[i] == CreateAccountResult.CREATED) {
        insertAccount(events.get(i), now);
      }
    }
  }

  private CreateAccountResult validateAccount(Account a, Map<UUID, Account> chain) {
    if ((a.flags() & ~AccountFlags.KNOWN) != 0 || a.hasFlag(AccountFlags.CLOSED)) {
      return CreateAccountResult.RESERVED_FLAG;
    }
    if (Ids.isZero(a.id())) {
      return CreateAccountResult.ID_MUST_NOT_BE_ZERO;
    }
    if (a.id().equals(Ids.MAX)) {
      return CreateAccountResult.ID_MUST_NOT_BE_INT_MAX;
    }
    if (a.hasFlag(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
        && a.hasFlag(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)) {
      return CreateAccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
    }
    if (a.debitsPending() != 0) {
      return CreateAccountResult.DEBITS_PENDING_MUST_BE_ZERO;
    }
    if (a.debitsPosted() != 0) {
      return CreateAccountResult.DEBITS_POSTED_MUST_BE_ZERO;
    }
    if (a.creditsPending() != 0) {
      return CreateAccountResult.CREDITS_PENDING_MUST_BE_ZERO;
    }
    if (a.creditsPosted() != 0) {
      return CreateAccountResult.CREDITS_POSTED_MUST_BE_ZERO;
    }
    if (a.ledger() <= 0) {
      return CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO;
    }
    if (a.code() <= 0) {
      return CreateAccountResult.CODE_MUST_NOT_BE_ZERO;
    }
    if (a.timestamp() != 0) {
      return CreateAccountResult.TIMESTAMP_MUST_BE_ZERO;
    }
    Account existing = chain.get(a.id());
    if (existing == null) {
      existing = accountsInBatch.get(a.id());
    }
    if (existing == null && accounts.find(a.id()) >= 0) {
      existing = prefetch.accounts.get(a.id());
      if (existing == null) {
        throw new IllegalStateException("account " + a.id() + " is in memory but was not prefetched");
      }
    }
    return existing == null ? CreateAccountResult.CREATED : compareAccount(a, existing);
  }

  private static CreateAccountResult compareAccount(Account a, Account e) {
    // LINKED is a property of the request, not of the account: ignore it when comparing.
    if ((a.flags() & ~AccountFlags.LINKED) != (e.flags() & ~(AccountFlags.LINKED | AccountFlags.CLOSED))) {
      return CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS;
    }
    if (!a.userData128().equals(e.userData128())) {
      return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
    }
    if (a.userData64() != e.userData64()) {
      return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
    }
    if (a.userData32() != e.userData32()) {
      return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
    }
    if (a.ledger() != e.ledger()) {
      return CreateAccountResult.EXISTS_WITH_DIFFERENT_LEDGER;
    }
    if (a.code() != e.code()) {
      return CreateAccountResult.EXISTS_WITH_DIFFERENT_CODE;
    }
    return CreateAccountResult.EXISTS;
  }

  private void insertAccount(Account a, long now) {
    int stored = a.flags() & ~AccountFlags.LINKED;
    Account created = new Account(a.id(), 0, 0, 0, 0, a.userData128(), a.userData64(),
        a.userData32(), a.ledger(), a.code(), stored, nextTimestamp(now));
    accounts.add(a.id(), a.ledger(), a.code(), stored, 0, 0, 0, 0);
    accountsInBatch.put(a.id(), created);
    effects.accounts.add(created);
  }

  // ---------------------------------------------------------------- transfers

  List<CreateTransferResult> createTransfers(List<Transfer> events, long now) {
    CreateTransferResult[] results = new CreateTransferResult[events.size()];
    int i = 0;
    while (i < events.size()) {
      Transfer t = events.get(i);
      if (t.hasFlag(TransferFlags.LINKED)) {
        i = createTransferChain(events, i, results, now);
        continue;
      }
      results[i] = createTransfer(t, nextTimestamp(now));
      if (results[i].isTransient()) {
        rememberFailure(t, results[i]);
      }
      i++;
    }
    return List.of(results);
  }

  /**
   * Applies the chain that starts at {@code from} with an undo log: all of it or none of it. An
   * {@code exists} result counts as success, so a retried chain answers exists throughout. The
   * last event of a chain left open answers linked_event_chain_open, even when an earlier event
   * already broke the chain (TigerBeetle checks for the open chain first).
   *
   * @return the index after the chain
   */
  private int createTransferChain(List<Transfer> events, int from, CreateTransferResult[] results,
      long now) {
    int end = from;
    while (end < events.size() - 1 && events.get(end).hasFlag(TransferFlags.LINKED)) {
      end++;
    }
    boolean open = events.get(end).hasFlag(TransferFlags.LINKED);
    undo = new ArrayList<>();
    int markTransfers = effects.transfers.size();
    int markHistory = effects.history.size();
    int failedAt = -1;
    for (int k = from; k <= end && failedAt < 0; k++) {
      results[k] = open && k == end ? CreateTransferResult.LINKED_EVENT_CHAIN_OPEN
          : createTransfer(events.get(k), nextTimestamp(now));
      if (!results[k].ok()) {
        failedAt = k;
      }
    }
    if (failedAt >= 0) {
      rollBackChain(markTransfers, markHistory);
      for (int k = from; k <= end; k++) {
        if (open && k == end) {
          results[k] = CreateTransferResult.LINKED_EVENT_CHAIN_OPEN;
        } else if (k != failedAt) {
          results[k] = CreateTransferResult.LINKED_EVENT_FAILED;
        }
      }
    }
    undo = null;
    if (failedAt >= 0 && results[failedAt].isTransient()) {
      rememberFailure(events.get(failedAt), results[failedAt]);
    }
    return end + 1;
  }

  private void rememberFailure(Transfer t, CreateTransferResult result) {
    if (!failedInBatch.containsKey(t.id())) {
      failedInBatch.put(t.id(), result);
      effects.failed.add(new BatchEffects.FailedTransfer(t.id(), result, lastTimestamp));
    }
  }

  private void rollBackChain(int markTransfers, int markHistory) {
    for (int k = undo.size() - 1; k >= 0; k--) {
      undo.get(k).run();
    }
    truncate(effects.transfers, markTransfers);
    truncate(effects.history, markHistory);
  }

  private static void truncate(List<?> list, int size) {
    list.subList(size, list.size()).clear();
  }

  private CreateTransferResult createTransfer(Transfer t, long timestamp) {
    CreateTransferResult invalid = TransferValidation.validate(t);
    if (invalid != null) {
      return invalid;
    }
    Transfer existing = storedTransfer(t.id());
    if (existing != null) {
      return TransferValidation.compareExisting(t, existing, resolvedPendingOf(t, existing));
    }
    if (failedInBatch.containsKey(t.id()) || prefetch.failed.containsKey(t.id())) {
      return CreateTransferResult.ID_ALREADY_FAILED;
    }
    if (t.hasFlag(TransferFlags.POST_PENDING_TRANSFER) || t.hasFlag(TransferFlags.VOID_PENDING_TRANSFER)) {
      return resolvePending(t, timestamp);
    }
    return createSinglePhaseOrPending(t, timestamp);
  }

  private Transfer storedTransfer(UUID id) {
    Transfer t = createdInBatch.get(id);
    return t != null ? t : prefetch.transfers.get(id);
  }

  private CreateTransferResult createSinglePhaseOrPending(Transfer t, long timestamp) {
    int dr = accounts.find(t.debitAccountId());
    if (dr < 0) {
      return CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND;
    }
    int cr = accounts.find(t.creditAccountId());
    if (cr < 0) {
      return CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND;
    }
    if (accounts.ledger(dr) != accounts.ledger(cr)) {
      return CreateTransferResult.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
    }
    if (t.ledger() != accounts.ledger(dr)) {
      return CreateTransferResult.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
    }
    if (AccountFlags.has(accounts.flags(dr), AccountFlags.CLOSED)) {
      return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
    }
    if (AccountFlags.has(accounts.flags(cr), AccountFlags.CLOSED)) {
      return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
    }
    long amount = balancedAmount(t, dr, cr);
    boolean isPending = t.hasFlag(TransferFlags.PENDING);
    CreateTransferResult overflow = checkOverflows(dr, cr, amount, isPending);
    if (overflow != null) {
      return overflow;
    }
    long expiresAt = 0;
    if (isPending && t.timeoutSeconds() > 0) {
      long timeoutNanos = t.timeoutSeconds() * NANOS_PER_SECOND;
      if (timestamp > Long.MAX_VALUE - timeoutNanos) {
        return CreateTransferResult.OVERFLOWS_TIMEOUT;
      }
      expiresAt = timestamp + timeoutNanos;
    }
    CreateTransferResult limit = checkLimits(dr, cr, amount);
    if (limit != null) {
      return limit;
    }
    Transfer stored = new Transfer(t.id(), t.debitAccountId(), t.creditAccountId(), amount,
        Ids.ZERO, t.userData128(), t.userData64(), t.userData32(), t.timeoutSeconds(), t.ledger(),
        t.code(), t.flags(), timestamp);
    applyNew(stored, dr, cr, isPending);
    if (isPending) {
      addPending(new PendingTransfer(stored, expiresAt));
    }
    record(stored, dr, cr);
    return CreateTransferResult.CREATED;
  }

  /** For balancing transfers, the amount that keeps the constrained side within its limit. */
  private long balancedAmount(Transfer t, int dr, int cr) {
    long amount = t.amount();
    if (t.hasFlag(TransferFlags.BALANCING_DEBIT)) {
      long room = accounts.creditsPosted(dr) - accounts.debitsPosted(dr) - accounts.debitsPending(dr);
      amount = Math.min(amount, Math.max(0, room));
    }
    if (t.hasFlag(TransferFlags.BALANCING_CREDIT)) {
      long room = accounts.debitsPosted(cr) - accounts.creditsPosted(cr) - accounts.creditsPending(cr);
      amount = Math.min(amount, Math.max(0, room));
    }
    return amount;
  }

  private CreateTransferResult checkOverflows(int dr, int cr, long amount, boolean isPending) {
    if (isPending) {
      if (accounts.debitsPending(dr) > Long.MAX_VALUE - amount) {
        return CreateTransferResult.OVERFLOWS_DEBITS_PENDING;
      }
      if (accounts.creditsPending(cr) > Long.MAX_VALUE - amount) {
        return CreateTransferResult.OVERFLOWS_CREDITS_PENDING;
      }
    } else {
      if (accounts.debitsPosted(dr) > Long.MAX_VALUE - amount) {
        return CreateTransferResult.OVERFLOWS_DEBITS_POSTED;
      }
      if (accounts.creditsPosted(cr) > Long.MAX_VALUE - amount) {
        return CreateTransferResult.OVERFLOWS_CREDITS_POSTED;
      }
    }
    if (accounts.debitsPending(dr) > Long.MAX_VALUE - accounts.debitsPosted(dr) - amount) {
      return CreateTransferResult.OVERFLOWS_DEBITS;
    }
    if (accounts.creditsPending(cr) > Long.MAX_VALUE - accounts.creditsPosted(cr) - amount) {
      return CreateTransferResult.OVERFLOWS_CREDITS;
    }
    return null;
  }

  private CreateTransferResult checkLimits(int dr, int cr, long amount) {
    if (AccountFlags.has(accounts.flags(dr), AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
        && accounts.debitsPending(dr) + accounts.debitsPosted(dr) + amount > accounts.creditsPosted(dr)) {
      return CreateTransferResult.EXCEEDS_CREDITS;
    }
    if (AccountFlags.has(accounts.flags(cr), AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)
        && accounts.creditsPending(cr) + accounts.creditsPosted(cr) + amount > accounts.debitsPosted(cr)) {
      return CreateTransferResult.EXCEEDS_DEBITS;
    }
    return null;
  }

  private void applyNew(Transfer t, int dr, int cr, boolean isPending) {
    int drFlags = accounts.flags(dr) | (t.hasFlag(TransferFlags.CLOSING_DEBIT) ? AccountFlags.CLOSED : 0);
    int crFlags = accounts.flags(cr) | (t.hasFlag(TransferFlags.CLOSING_CREDIT) ? AccountFlags.CLOSED : 0);
    long a = t.amount();
    if (isPending) {
      setAccount(dr, accounts.debitsPending(dr) + a, accounts.debitsPosted(dr),
          accounts.creditsPending(dr), accounts.creditsPosted(dr), drFlags);
      setAccount(cr, accounts.debitsPending(cr), accounts.debitsPosted(cr),
          accounts.creditsPending(cr) + a, accounts.creditsPosted(cr), crFlags);
    } else {
      setAccount(dr, accounts.debitsPending(dr), accounts.debitsPosted(dr) + a,
          accounts.creditsPending(dr), accounts.creditsPosted(dr), drFlags);
      setAccount(cr, accounts.debitsPending(cr), accounts.debitsPosted(cr),
          accounts.creditsPending(cr), accounts.creditsPosted(cr) + a, crFlags);
    }
  }

  /**
   * Posts or voids a pending transfer. As in TigerBeetle, the request is checked against the
   * pending transfer (accounts, ledger, code, amount) before the pending transfer's status, so the
   * answer to a wrong request does not depend on whether the hold is still held.
   */
  private CreateTransferResult resolvePending(Transfer t, long timestamp) {
    PendingTransfer p = pending.get(t.pendingId());
    Transfer pt = p != null ? p.transfer() : releasedOrStored(t.pendingId());
    if (pt == null) {
      return CreateTransferResult.PENDING_TRANSFER_NOT_FOUND;
    }
    CreateTransferResult mismatch = TransferValidation.compareWithPending(t, pt);
    if (mismatch != null) {
      return mismatch;
    }
    boolean post = t.hasFlag(TransferFlags.POST_PENDING_TRANSFER);
    // Zero: the whole pending amount. A void must release exactly that.
    long amount = t.amount() == 0 ? pt.amount() : t.amount();
    if (amount > pt.amount()) {
      return CreateTransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
    }
    if (!post && amount < pt.amount()) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
    }
    if (p == null) {
      return alreadyResolved(t.pendingId());
    }
    if (p.expiresAt() != 0 && p.expiresAt() <= timestamp) {
      return CreateTransferResult.PENDING_TRANSFER_EXPIRED;
    }
    int dr = accounts.find(pt.debitAccountId());
    int cr = accounts.find(pt.creditAccountId());
    boolean closing = pt.hasFlag(TransferFlags.CLOSING_DEBIT) || pt.hasFlag(TransferFlags.CLOSING_CREDIT);
    if (post && !closing) {
      if (AccountFlags.has(accounts.flags(dr), AccountFlags.CLOSED)) {
        return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
      }
      if (AccountFlags.has(accounts.flags(cr), AccountFlags.CLOSED)) {
        return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
      }
    }
    if (post && (accounts.debitsPosted(dr) > Long.MAX_VALUE - amount)) {
      return CreateTransferResult.OVERFLOWS_DEBITS_POSTED;
    }
    if (post && (accounts.creditsPosted(cr) > Long.MAX_VALUE - amount)) {
      return CreateTransferResult.OVERFLOWS_CREDITS_POSTED;
    }
    Transfer stored = new Transfer(t.id(), pt.debitAccountId(), pt.creditAccountId(), amount,
        pt.id(), Ids.isZero(t.userData128()) ? pt.userData128() : t.userData128(),
        t.userData64() == 0 ? pt.userData64() : t.userData64(),
        t.userData32() == 0 ? pt.userData32() : t.userData32(),
        0, pt.ledger(), pt.code(), t.flags(), timestamp);
    removePending(p, post ? PendingStatus.POSTED : PendingStatus.VOIDED);
    applyResolution(pt, dr, cr, post ? amount : 0, !post && closing);
    record(stored, dr, cr);
    return CreateTransferResult.CREATED;
  }

  /**
   * For a retried post or void: the pending transfer the stored one resolved, when the retry names
   * the same one (it is resolved, so it was prefetched or released by this batch). Otherwise null.
   */
  private Transfer resolvedPendingOf(Transfer t, Transfer existing) {
    boolean resolves = existing.hasFlag(TransferFlags.POST_PENDING_TRANSFER)
        || existing.hasFlag(TransferFlags.VOID_PENDING_TRANSFER);
    if (!resolves || !existing.pendingId().equals(t.pendingId())) {
      return null;
    }
    PendingTransfer held = pending.get(existing.pendingId());
    return held != null ? held.transfer() : releasedOrStored(existing.pendingId());
  }

  /** A transfer the writer does not hold as pending: stored, or released by this batch; or null. */
  private Transfer releasedOrStored(UUID id) {
    Transfer t = storedTransfer(id);
    return t != null ? t : releasedInBatch.get(id);
  }

  /** Why a pending transfer that exists no longer holds money. */
  private CreateTransferResult alreadyResolved(UUID pendingId) {
    PendingStatus status = effects.pendingResolved.get(pendingId);
    if (status == null) {
      status = prefetch.pendingStatus.get(pendingId);
    }
    if (status == null || status == PendingStatus.PENDING) {
      throw new IllegalStateException("pending transfer " + pendingId
          + " is stored as pending but the writer does not hold it");
    }
    return switch (status) {
      case POSTED -> CreateTransferResult.PENDING_TRANSFER_ALREADY_POSTED;
      case VOIDED -> CreateTransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
      default -> CreateTransferResult.PENDING_TRANSFER_EXPIRED;
    };
  }

  /** Releases a pending amount and posts {@code postAmount} of it; reopens accounts a voided closing transfer closed. */
  private void applyResolution(Transfer pt, int dr, int cr, long postAmount, boolean reopen) {
    int drFlags = accounts.flags(dr);
    int crFlags = accounts.flags(cr);
    if (reopen && pt.hasFlag(TransferFlags.CLOSING_DEBIT)) {
      drFlags &= ~AccountFlags.CLOSED;
    }
    if (reopen && pt.hasFlag(TransferFlags.CLOSING_CREDIT)) {
      crFlags &= ~AccountFlags.CLOSED;
    }
    setAccount(dr, accounts.debitsPending(dr) - pt.amount(), accounts.debitsPosted(dr) + postAmount,
        accounts.creditsPending(dr), accounts.creditsPosted(dr), drFlags);
    setAccount(cr, accounts.debitsPending(cr), accounts.debitsPosted(cr),
        accounts.creditsPending(cr) - pt.amount(), accounts.creditsPosted(cr) + postAmount, crFlags);
  }

  /** An expired pending transfer gives its amount back; a closing one reopens its accounts. */
  private void release(PendingTransfer p, long timestamp) {
    Transfer pt = p.transfer();
    int dr = accounts.find(pt.debitAccountId());
    int cr = accounts.find(pt.creditAccountId());
    applyResolution(pt, dr, cr, 0, true);
    recordHistory(dr, timestamp);
    if (cr != dr) {
      recordHistory(cr, timestamp);
    }
  }

  private void addPending(PendingTransfer p) {
    UUID id = p.transfer().id();
    pending.put(id, p);
    if (p.expiresAt() != 0) {
      expiryOrder.add(p);
    }
    effects.pendingCreated.put(id, p.expiresAt());
    if (undo != null) {
      undo.add(() -> {
        pending.remove(id);
        expiryOrder.remove(p);
        effects.pendingCreated.remove(id);
      });
    }
  }

  private void removePending(PendingTransfer p, PendingStatus status) {
    UUID id = p.transfer().id();
    pending.remove(id);
    expiryOrder.remove(p);
    releasedInBatch.put(id, p.transfer());
    PendingStatus before = effects.pendingResolved.put(id, status);
    if (undo != null) {
      undo.add(() -> {
        pending.put(id, p);
        if (p.expiresAt() != 0) {
          expiryOrder.add(p);
        }
        if (before == null) {
          effects.pendingResolved.remove(id);
        } else {
          effects.pendingResolved.put(id, before);
        }
      });
    }
  }

  private void record(Transfer stored, int dr, int cr) {
    effects.transfers.add(stored);
    createdInBatch.put(stored.id(), stored);
    if (undo != null) {
      undo.add(() -> createdInBatch.remove(stored.id()));
    }
    recordHistory(dr, stored.timestamp());
    recordHistory(cr, stored.timestamp());
  }

  private void recordHistory(int index, long timestamp) {
    if (AccountFlags.has(accounts.flags(index), AccountFlags.HISTORY)) {
      effects.history.add(new BatchEffects.HistoryRow(accounts.id(index), timestamp,
          accounts.debitsPending(index), accounts.debitsPosted(index),
          accounts.creditsPending(index), accounts.creditsPosted(index)));
    }
  }

  /**
   * Asserts the double-entry invariant over the batch: every change to debits was matched by the
   * same change to credits, pending and posted alike.
   */
  void end() {
    if (deltaDebitsPending != deltaCreditsPending || deltaDebitsPosted != deltaCreditsPosted) {
      throw new IllegalStateException("batch broke double entry: debits pending/posted moved by "
          + deltaDebitsPending + "/" + deltaDebitsPosted + ", credits by " + deltaCreditsPending
          + "/" + deltaCreditsPosted);
    }
  }

  private void setAccount(int i, long dp, long dpo, long cp, long cpo, int flags) {
    // Invariants: balances never go negative and constrained accounts stay within their limits; a
    // violation is a bug in the rules above, and must stop the batch before it is committed.
    if (dp < 0 || dpo < 0 || cp < 0 || cpo < 0) {
      throw new IllegalStateException("negative balance on account " + accounts.id(i));
    }
    if (AccountFlags.has(flags, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) && dp + dpo > cpo) {
      throw new IllegalStateException("debits exceed credits on account " + accounts.id(i));
    }
    if (AccountFlags.has(flags, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) && cp + cpo > dpo) {
      throw new IllegalStateException("credits exceed debits on account " + accounts.id(i));
    }
    deltaDebitsPending += dp - accounts.debitsPending(i);
    deltaDebitsPosted += dpo - accounts.debitsPosted(i);
    deltaCreditsPending += cp - accounts.creditsPending(i);
    deltaCreditsPosted += cpo - accounts.creditsPosted(i);
    if (undo != null) {
      long odp = accounts.debitsPending(i);
      long odpo = accounts.debitsPosted(i);
      long ocp = accounts.creditsPending(i);
      long ocpo = accounts.creditsPosted(i);
      int oflags = accounts.flags(i);
      undo.add(() -> accounts.set(i, odp, odpo, ocp, ocpo, oflags));
    }
    accounts.set(i, dp, dpo, cp, cpo, flags);
    effects.touched.set(i);
  }
}
