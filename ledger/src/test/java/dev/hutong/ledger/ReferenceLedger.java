package dev.hutong.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A deliberately simple, sequential model of the ledger's rules (TigerBeetle's, see DESIGN §3), to
 * compare the real Ledger against. No batching, no database, no undo log: plain maps of mutable
 * balances, and a linked chain is applied to the live state after a snapshot that is restored if
 * the chain fails. Slow and obviously correct is the point.
 *
 * <p>Time: {@link #advanceTo} moves the model's clock and expires every pending transfer whose
 * deadline (clock when it was created + its timeout) has come. The property test only moves the
 * clock in 700 ms steps, so a deadline of whole seconds never falls within a hair of a clock
 * reading, and the ledger's nanosecond timestamps make the same decisions as this model.
 */
final class ReferenceLedger {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** An account's state in the model. */
  static final class Acct {
    final UUID id;
    final int ledger;
    final int code;
    final UUID userData128;
    final long userData64;
    final int userData32;
    /** As stored: the request's flags without LINKED, plus CLOSED while closed. */
    int flags;
    long debitsPending;
    long debitsPosted;
    long creditsPending;
    long creditsPosted;

    Acct(Account a) {
      id = a.id();
      ledger = a.ledger();
      code = a.code();
      userData128 = a.userData128();
      userData64 = a.userData64();
      userData32 = a.userData32();
      flags = a.flags() & ~AccountFlags.LINKED;
    }

    private Acct(Acct o) {
      id = o.id;
      ledger = o.ledger;
      code = o.code;
      userData128 = o.userData128;
      userData64 = o.userData64;
      userData32 = o.userData32;
      flags = o.flags;
      debitsPending = o.debitsPending;
      debitsPosted = o.debitsPosted;
      creditsPending = o.creditsPending;
      creditsPosted = o.creditsPosted;
    }

    boolean has(int flag) {
      return (flags & flag) != 0;
    }
  }

  /** Everything the model knows; copied whole for a chain's snapshot. */
  private static final class State {
    final Map<UUID, Acct> accounts = new HashMap<>();
    /** Created transfers as stored (amount actually moved, inherited fields filled in). */
    final Map<UUID, Transfer> transfers = new HashMap<>();
    final Map<UUID, PendingStatus> pendingStatus = new HashMap<>();
    /** Pending transfer id → deadline in clock nanoseconds (0: never). */
    final Map<UUID, Long> deadlines = new HashMap<>();
    /** Ids that failed for a transient reason. */
    final Map<UUID, CreateTransferResult> failed = new HashMap<>();

    State copy() {
      State s = new State();
      accounts.forEach((id, a) -> s.accounts.put(id, new Acct(a)));
      s.transfers.putAll(transfers);
      s.pendingStatus.putAll(pendingStatus);
      s.deadlines.putAll(deadlines);
      s.failed.putAll(failed);
      return s;
    }
  }

  private State state = new State();
  private long now;

  ReferenceLedger(long now) {
    this.now = now;
  }

  Acct account(UUID id) {
    return state.accounts.get(id);
  }

  Transfer transfer(UUID id) {
    return state.transfers.get(id);
  }

  PendingStatus pendingStatus(UUID id) {
    return state.pendingStatus.get(id);
  }

  /** Moves the clock forward and expires what has fallen due. */
  void advanceTo(long clock) {
    if (clock < now) {
      throw new IllegalArgumentException("the clock only moves forward");
    }
    now = clock;
    for (Map.Entry<UUID, Long> d : state.deadlines.entrySet()) {
      UUID id = d.getKey();
      if (d.getValue() != 0 && d.getValue() <= now && state.pendingStatus.get(id) == PendingStatus.PENDING) {
        Transfer p = state.transfers.get(id);
        Acct dr = state.accounts.get(p.debitAccountId());
        Acct cr = state.accounts.get(p.creditAccountId());
        dr.debitsPending -= p.amount();
        cr.creditsPending -= p.amount();
        reopenIfClosing(p, dr, cr);
        state.pendingStatus.put(id, PendingStatus.EXPIRED);
      }
    }
  }

  // ---------------------------------------------------------------- linked chains

  /** How one event is judged; the chain logic around it is the same for accounts and transfers. */
  private interface Rule<E, R> {
    R apply(E event);
  }

  /**
   * TigerBeetle's chain semantics: a chain is a run of events with LINKED set, ended by the first
   * without it. If any event of a chain fails, the chain's effects are undone, the failed event
   * keeps its result and every other event of the chain answers linked_event_failed. The last
   * event of a request may not have LINKED set: it answers linked_event_chain_open (and so fails
   * its chain).
   */
  private <E, R> List<R> chains(List<E> events, java.util.function.Predicate<E> linked, Rule<E, R> rule,
      java.util.function.Predicate<R> ok, R linkedEventFailed, R chainOpen, java.util.function.BiConsumer<E, R> after) {
    List<R> results = new ArrayList<>();
    int chainStart = -1;
    boolean broken = false;
    State snapshot = null;
    for (int i = 0; i < events.size(); i++) {
      E e = events.get(i);
      boolean isLinked = linked.test(e);
      if (isLinked && chainStart < 0) {
        chainStart = i;
        broken = false;
        snapshot = state.copy();
      }
      R r;
      if (isLinked && i == events.size() - 1) {
        r = chainOpen;
      } else if (chainStart >= 0 && broken) {
        r = linkedEventFailed;
      } else {
        r = rule.apply(e);
      }
      if (!ok.test(r) && chainStart >= 0 && !broken) {
        broken = true;
        state = snapshot;
        for (int k = chainStart; k < i; k++) {
          results.set(k, linkedEventFailed);
        }
      }
      results.add(r);
      after.accept(e, r);
      if (chainStart >= 0 && !isLinked) {
        chainStart = -1;
        broken = false;
      }
    }
    return results;
  }

  // ---------------------------------------------------------------- accounts

  List<CreateAccountResult> createAccounts(List<Account> events) {
    return chains(events, a -> a.hasFlag(AccountFlags.LINKED), this::createAccount, CreateAccountResult::ok,
        CreateAccountResult.LINKED_EVENT_FAILED, CreateAccountResult.LINKED_EVENT_CHAIN_OPEN, (a, r) -> { });
  }

  private CreateAccountResult createAccount(Account a) {
    int known = AccountFlags.LINKED | AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS
        | AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS | AccountFlags.HISTORY;
    if ((a.flags() & ~known) != 0) {
      return CreateAccountResult.RESERVED_FLAG; // CLOSED too: only a closing transfer closes an account
    }
    if (a.id().equals(Ids.ZERO)) {
      return CreateAccountResult.ID_MUST_NOT_BE_ZERO;
    }
    if (a.id().equals(Ids.MAX)) {
      return CreateAccountResult.ID_MUST_NOT_BE_INT_MAX;
    }
    if (a.hasFlag(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) && a.hasFlag(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)) {
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
    Acct e = state.accounts.get(a.id());
    if (e != null) {
      if ((a.flags() & ~AccountFlags.LINKED) != (e.flags & ~AccountFlags.CLOSED)) {
        return CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS;
      }
      if (!a.userData128().equals(e.userData128)) {
        return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
      }
      if (a.userData64() != e.userData64) {
        return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
      }
      if (a.userData32() != e.userData32) {
        return CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
      }
      if (a.ledger() != e.ledger) {
        return CreateAccountResult.EXISTS_WITH_DIFFERENT_LEDGER;
      }
      if (a.code() != e.code) {
        return CreateAccountResult.EXISTS_WITH_DIFFERENT_CODE;
      }
      return CreateAccountResult.EXISTS;
    }
    state.accounts.put(a.id(), new Acct(a));
    return CreateAccountResult.CREATED;
  }

  // ---------------------------------------------------------------- transfers

  List<CreateTransferResult> createTransfers(List<Transfer> events) {
    return chains(events, t -> t.hasFlag(TransferFlags.LINKED), this::createTransfer, CreateTransferResult::ok,
        CreateTransferResult.LINKED_EVENT_FAILED, CreateTransferResult.LINKED_EVENT_CHAIN_OPEN,
        // A failure that depended on the ledger's state is remembered, also when it broke a chain
        // (after the chain's effects were undone).
        (t, r) -> {
          if (r.isTransient()) {
            state.failed.putIfAbsent(t.id(), r);
          }
        });
  }

  private CreateTransferResult createTransfer(Transfer t) {
    CreateTransferResult invalid = validate(t);
    if (invalid != null) {
      return invalid;
    }
    Transfer e = state.transfers.get(t.id());
    if (e != null) {
      return exists(t, e);
    }
    if (state.failed.containsKey(t.id())) {
      return CreateTransferResult.ID_ALREADY_FAILED;
    }
    if (isResolution(t)) {
      return postOrVoid(t);
    }
    return createNew(t);
  }

  private static boolean isResolution(Transfer t) {
    return t.hasFlag(TransferFlags.POST_PENDING_TRANSFER) || t.hasFlag(TransferFlags.VOID_PENDING_TRANSFER);
  }

  /** The checks that need nothing but the request, in the ledger's order. */
  private static CreateTransferResult validate(Transfer t) {
    int known = 0xFF;
    if ((t.flags() & ~known) != 0) {
      return CreateTransferResult.RESERVED_FLAG;
    }
    if (t.id().equals(Ids.ZERO)) {
      return CreateTransferResult.ID_MUST_NOT_BE_ZERO;
    }
    if (t.id().equals(Ids.MAX)) {
      return CreateTransferResult.ID_MUST_NOT_BE_INT_MAX;
    }
    if (t.timestamp() != 0) {
      return CreateTransferResult.TIMESTAMP_MUST_BE_ZERO;
    }
    boolean pending = t.hasFlag(TransferFlags.PENDING);
    boolean post = t.hasFlag(TransferFlags.POST_PENDING_TRANSFER);
    boolean voids = t.hasFlag(TransferFlags.VOID_PENDING_TRANSFER);
    boolean balancing = t.hasFlag(TransferFlags.BALANCING_DEBIT) || t.hasFlag(TransferFlags.BALANCING_CREDIT);
    boolean closing = t.hasFlag(TransferFlags.CLOSING_DEBIT) || t.hasFlag(TransferFlags.CLOSING_CREDIT);
    if ((pending ? 1 : 0) + (post ? 1 : 0) + (voids ? 1 : 0) > 1 || (balancing && (post || voids))) {
      return CreateTransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
    }
    if (closing && !pending) {
      return CreateTransferResult.CLOSING_TRANSFER_MUST_BE_PENDING;
    }
    if (t.amount() < 0) {
      return CreateTransferResult.AMOUNT_MUST_NOT_BE_NEGATIVE;
    }
    if (t.timeoutSeconds() < 0) {
      return CreateTransferResult.TIMEOUT_MUST_NOT_BE_NEGATIVE;
    }
    if (post || voids) {
      if (t.pendingId().equals(Ids.ZERO)) {
        return CreateTransferResult.PENDING_ID_MUST_NOT_BE_ZERO;
      }
      if (t.pendingId().equals(Ids.MAX)) {
        return CreateTransferResult.PENDING_ID_MUST_NOT_BE_INT_MAX;
      }
      if (t.pendingId().equals(t.id())) {
        return CreateTransferResult.PENDING_ID_MUST_BE_DIFFERENT;
      }
      if (t.timeoutSeconds() != 0) {
        return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
      }
      return null;
    }
    if (t.debitAccountId().equals(Ids.ZERO)) {
      return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
    }
    if (t.creditAccountId().equals(Ids.ZERO)) {
      return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
    }
    if (t.debitAccountId().equals(t.creditAccountId())) {
      return CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
    }
    if (!t.pendingId().equals(Ids.ZERO)) {
      return CreateTransferResult.PENDING_ID_MUST_BE_ZERO;
    }
    if (!pending && t.timeoutSeconds() != 0) {
      return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
    }
    if (t.ledger() <= 0) {
      return CreateTransferResult.LEDGER_MUST_NOT_BE_ZERO;
    }
    if (t.code() <= 0) {
      return CreateTransferResult.CODE_MUST_NOT_BE_ZERO;
    }
    if (t.amount() == 0) {
      return CreateTransferResult.AMOUNT_MUST_NOT_BE_ZERO;
    }
    return null;
  }

  /**
   * The same id was created before: exists if the request asks for what was stored. A post or void
   * may leave fields zero; zero means "the pending transfer's value", as it did when the post was
   * created, so the stored value must equal the pending transfer's.
   */
  private CreateTransferResult exists(Transfer t, Transfer e) {
    if ((t.flags() & ~TransferFlags.LINKED) != (e.flags() & ~TransferFlags.LINKED)) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_FLAGS;
    }
    if (!t.pendingId().equals(e.pendingId())) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_PENDING_ID;
    }
    if (isResolution(t)) {
      Transfer p = state.transfers.get(e.pendingId());
      if (!t.debitAccountId().equals(Ids.ZERO) && !t.debitAccountId().equals(e.debitAccountId())) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
      }
      if (!t.creditAccountId().equals(Ids.ZERO) && !t.creditAccountId().equals(e.creditAccountId())) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
      }
      if ((t.amount() == 0 ? p.amount() : t.amount()) != e.amount()) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
      }
      if (!(t.userData128().equals(Ids.ZERO) ? p.userData128() : t.userData128()).equals(e.userData128())) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
      }
      if ((t.userData64() == 0 ? p.userData64() : t.userData64()) != e.userData64()) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
      }
      if ((t.userData32() == 0 ? p.userData32() : t.userData32()) != e.userData32()) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
      }
      if (t.timeoutSeconds() != e.timeoutSeconds()) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
      }
      if (t.ledger() != 0 && t.ledger() != e.ledger()) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
      }
      if (t.code() != 0 && t.code() != e.code()) {
        return CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
      }
      return CreateTransferResult.EXISTS;
    }
    if (!t.debitAccountId().equals(e.debitAccountId())) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
    }
    if (!t.creditAccountId().equals(e.creditAccountId())) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
    }
    boolean balancing = t.hasFlag(TransferFlags.BALANCING_DEBIT) || t.hasFlag(TransferFlags.BALANCING_CREDIT);
    // A balancing transfer moved at most what it asked for: asking for at least that is the same.
    if (balancing ? t.amount() < e.amount() : t.amount() != e.amount()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
    }
    if (!t.userData128().equals(e.userData128())) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
    }
    if (t.userData64() != e.userData64()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
    }
    if (t.userData32() != e.userData32()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
    }
    if (t.timeoutSeconds() != e.timeoutSeconds()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
    }
    if (t.ledger() != e.ledger()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
    }
    if (t.code() != e.code()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
    }
    return CreateTransferResult.EXISTS;
  }

  private CreateTransferResult createNew(Transfer t) {
    Acct dr = state.accounts.get(t.debitAccountId());
    if (dr == null) {
      return CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND;
    }
    Acct cr = state.accounts.get(t.creditAccountId());
    if (cr == null) {
      return CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND;
    }
    if (dr.ledger != cr.ledger) {
      return CreateTransferResult.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
    }
    if (t.ledger() != dr.ledger) {
      return CreateTransferResult.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
    }
    if (dr.has(AccountFlags.CLOSED)) {
      return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
    }
    if (cr.has(AccountFlags.CLOSED)) {
      return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
    }
    long amount = t.amount();
    if (t.hasFlag(TransferFlags.BALANCING_DEBIT)) {
      amount = Math.min(amount, Math.max(0, dr.creditsPosted - dr.debitsPosted - dr.debitsPending));
    }
    if (t.hasFlag(TransferFlags.BALANCING_CREDIT)) {
      amount = Math.min(amount, Math.max(0, cr.debitsPosted - cr.creditsPosted - cr.creditsPending));
    }
    boolean pending = t.hasFlag(TransferFlags.PENDING);
    if (pending) {
      if (overflows(dr.debitsPending, amount)) {
        return CreateTransferResult.OVERFLOWS_DEBITS_PENDING;
      }
      if (overflows(cr.creditsPending, amount)) {
        return CreateTransferResult.OVERFLOWS_CREDITS_PENDING;
      }
    } else {
      if (overflows(dr.debitsPosted, amount)) {
        return CreateTransferResult.OVERFLOWS_DEBITS_POSTED;
      }
      if (overflows(cr.creditsPosted, amount)) {
        return CreateTransferResult.OVERFLOWS_CREDITS_POSTED;
      }
    }
    if (overflows(dr.debitsPending, dr.debitsPosted, amount)) {
      return CreateTransferResult.OVERFLOWS_DEBITS;
    }
    if (overflows(cr.creditsPending, cr.creditsPosted, amount)) {
      return CreateTransferResult.OVERFLOWS_CREDITS;
    }
    long deadline = 0;
    if (pending && t.timeoutSeconds() > 0) {
      if (overflows(now, t.timeoutSeconds() * NANOS_PER_SECOND)) {
        return CreateTransferResult.OVERFLOWS_TIMEOUT;
      }
      deadline = now + t.timeoutSeconds() * NANOS_PER_SECOND;
    }
    if (dr.has(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
        && dr.debitsPending + dr.debitsPosted + amount > dr.creditsPosted) {
      return CreateTransferResult.EXCEEDS_CREDITS;
    }
    if (cr.has(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)
        && cr.creditsPending + cr.creditsPosted + amount > cr.debitsPosted) {
      return CreateTransferResult.EXCEEDS_DEBITS;
    }
    if (pending) {
      dr.debitsPending += amount;
      cr.creditsPending += amount;
      state.pendingStatus.put(t.id(), PendingStatus.PENDING);
      state.deadlines.put(t.id(), deadline);
    } else {
      dr.debitsPosted += amount;
      cr.creditsPosted += amount;
    }
    if (t.hasFlag(TransferFlags.CLOSING_DEBIT)) {
      dr.flags |= AccountFlags.CLOSED;
    }
    if (t.hasFlag(TransferFlags.CLOSING_CREDIT)) {
      cr.flags |= AccountFlags.CLOSED;
    }
    state.transfers.put(t.id(), new Transfer(t.id(), t.debitAccountId(), t.creditAccountId(), amount,
        Ids.ZERO, t.userData128(), t.userData64(), t.userData32(), t.timeoutSeconds(), t.ledger(), t.code(),
        t.flags(), 0));
    return CreateTransferResult.CREATED;
  }

  /**
   * TigerBeetle's order: find the pending transfer, check the request against it (accounts, ledger,
   * code, amount), then its status, then its deadline, then whether its accounts are closed.
   */
  private CreateTransferResult postOrVoid(Transfer t) {
    Transfer p = state.transfers.get(t.pendingId());
    if (p == null) {
      return CreateTransferResult.PENDING_TRANSFER_NOT_FOUND;
    }
    if (!p.hasFlag(TransferFlags.PENDING)) {
      return CreateTransferResult.PENDING_TRANSFER_NOT_PENDING;
    }
    if (!t.debitAccountId().equals(Ids.ZERO) && !t.debitAccountId().equals(p.debitAccountId())) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
    }
    if (!t.creditAccountId().equals(Ids.ZERO) && !t.creditAccountId().equals(p.creditAccountId())) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
    }
    if (t.ledger() != 0 && t.ledger() != p.ledger()) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
    }
    if (t.code() != 0 && t.code() != p.code()) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CODE;
    }
    boolean post = t.hasFlag(TransferFlags.POST_PENDING_TRANSFER);
    long amount = t.amount() != 0 ? t.amount() : p.amount();
    if (amount > p.amount()) {
      return CreateTransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
    }
    if (!post && amount < p.amount()) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
    }
    switch (state.pendingStatus.get(p.id())) {
      case POSTED:
        return CreateTransferResult.PENDING_TRANSFER_ALREADY_POSTED;
      case VOIDED:
        return CreateTransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
      case EXPIRED:
        return CreateTransferResult.PENDING_TRANSFER_EXPIRED;
      default:
        break;
    }
    long deadline = state.deadlines.get(p.id());
    if (deadline != 0 && deadline <= now) {
      return CreateTransferResult.PENDING_TRANSFER_EXPIRED;
    }
    Acct dr = state.accounts.get(p.debitAccountId());
    Acct cr = state.accounts.get(p.creditAccountId());
    boolean closing = p.hasFlag(TransferFlags.CLOSING_DEBIT) || p.hasFlag(TransferFlags.CLOSING_CREDIT);
    if (post && !closing && dr.has(AccountFlags.CLOSED)) {
      return CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
    }
    if (post && !closing && cr.has(AccountFlags.CLOSED)) {
      return CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
    }
    if (post && overflows(dr.debitsPosted, amount)) {
      return CreateTransferResult.OVERFLOWS_DEBITS_POSTED;
    }
    if (post && overflows(cr.creditsPosted, amount)) {
      return CreateTransferResult.OVERFLOWS_CREDITS_POSTED;
    }
    dr.debitsPending -= p.amount();
    cr.creditsPending -= p.amount();
    if (post) {
      dr.debitsPosted += amount;
      cr.creditsPosted += amount;
    } else {
      reopenIfClosing(p, dr, cr);
    }
    state.pendingStatus.put(p.id(), post ? PendingStatus.POSTED : PendingStatus.VOIDED);
    state.transfers.put(t.id(), new Transfer(t.id(), p.debitAccountId(), p.creditAccountId(), amount, p.id(),
        t.userData128().equals(Ids.ZERO) ? p.userData128() : t.userData128(),
        t.userData64() == 0 ? p.userData64() : t.userData64(),
        t.userData32() == 0 ? p.userData32() : t.userData32(),
        0, p.ledger(), p.code(), t.flags(), 0));
    return CreateTransferResult.CREATED;
  }

  private static void reopenIfClosing(Transfer p, Acct dr, Acct cr) {
    if (p.hasFlag(TransferFlags.CLOSING_DEBIT)) {
      dr.flags &= ~AccountFlags.CLOSED;
    }
    if (p.hasFlag(TransferFlags.CLOSING_CREDIT)) {
      cr.flags &= ~AccountFlags.CLOSED;
    }
  }

  private static boolean overflows(long a, long b) {
    try {
      Math.addExact(a, b);
      return false;
    } catch (ArithmeticException e) {
      return true;
    }
  }

  private static boolean overflows(long a, long b, long c) {
    try {
      Math.addExact(Math.addExact(a, b), c);
      return false;
    } catch (ArithmeticException e) {
      return true;
    }
  }
}
