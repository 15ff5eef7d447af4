package dev.hutong.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.TestDatabases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of operations applied to the real Ledger and to {@link ReferenceLedger}: both
 * must give the same result for every event and the same balances for every account after every
 * step. One Ledger serves every try; each try uses fresh account and transfer ids, so tries do not
 * see each other (and a shrunk try replays on fresh ids too).
 */
@Tag("db")
class LedgerModelProperties {
  private static final long SECOND = 1_000_000_000L;
  /** Clock steps: never a whole number of seconds, so deadlines never coincide with a reading. */
  private static final long STEP_NANOS = 700_000_000L;
  private static final int ACCOUNTS = 6;
  /** Accounts 0..3 are created at the start of every try; 4 and 5 only by random steps. */
  private static final int SETUP_ACCOUNTS = 4;
  private static final int LEDGER = 1;
  private static final int OTHER_LEDGER = 2;
  private static final LedgerSettings SETTINGS =
      new LedgerSettings(1024, LedgerSettings.BATCH_EVENTS_LIMIT, 0, 5);

  private static final AtomicLong clock = new AtomicLong(1_700_000_000L * SECOND);
  private static HikariDataSource ds;
  private static Ledger ledger;

  @BeforeContainer
  static void start() {
    ds = TestDatabases.open("ledger_model", 4);
    Migrations.migrate(ds, Ledger.SCHEMA_MODULE);
    ledger = Ledger.start(ds, SETTINGS, clock::get);
  }

  @AfterContainer
  static void stop() {
    if (ledger != null) {
      ledger.close();
    }
    if (ds != null) {
      ds.close();
    }
  }

  // ---------------------------------------------------------------- what is generated

  enum Kind { SINGLE, PENDING, POST, VOID, BALANCING, REPEAT, REPEAT_CHANGED, INVALID }

  /**
   * One transfer, as knobs that are turned into a request when the step runs (so that it can name
   * the try's accounts and earlier transfers).
   *
   * @param idPick below 85: a fresh id; otherwise an id used earlier in the try
   * @param pick which earlier request to post, void or repeat
   * @param variant which flavour of the kind (see {@link Run#transfer})
   */
  record TransferGen(Kind kind, int idPick, int debit, int creditPick, long amount, int timeout, int pick,
      int variant) {
    /** Never the debit account (the invalid kind makes that mistake on purpose). */
    int credit() {
      return creditPick != debit ? creditPick : (debit + 1) % SETUP_ACCOUNTS;
    }
  }

  /** @param special 1: the zero id, 2: the all-ones id; @param rogue a flag that is not allowed */
  record AccountGen(int slot, int special, int flags, int ledger, int code, long userData64, int rogue) {}

  enum StepKind { TRANSFERS, ACCOUNTS, CLOCK }

  /**
   * @param groups transfers: each group of more than one is a linked chain
   * @param openEnd leave the request's last chain open (LINKED on its last event)
   * @param split submit the groups as two requests back to back (they may share a batch)
   */
  record Step(StepKind kind, List<List<TransferGen>> groups, List<List<AccountGen>> accountGroups,
      boolean openEnd, boolean split, int clockSteps) {}

  @Provide
  Arbitrary<List<Integer>> walletFlags() {
    return Arbitraries.frequencyOf(
        Tuple.of(35, Arbitraries.just(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)),
        Tuple.of(25, Arbitraries.just(0)),
        Tuple.of(15, Arbitraries.just(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)),
        Tuple.of(15, Arbitraries.just(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.HISTORY)),
        Tuple.of(10, Arbitraries.just(AccountFlags.HISTORY)))
        .list().ofSize(SETUP_ACCOUNTS - 1);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<TransferGen> transfer = transferGen(new int[] {22, 20, 16, 9, 8, 10, 7, 8});
    // Chain members make fewer deliberate mistakes, so that chains apply often enough too.
    Arbitrary<TransferGen> linked = transferGen(new int[] {40, 25, 14, 6, 8, 4, 1, 2});
    Arbitrary<List<TransferGen>> transferGroup = Arbitraries.frequencyOf(
        Tuple.of(65, transfer.list().ofSize(1)),
        Tuple.of(20, linked.list().ofSize(2)),
        Tuple.of(10, linked.list().ofSize(3)),
        Tuple.of(5, linked.list().ofSize(4)));
    Arbitrary<Step> transfers = Combinators.combine(
        transferGroup.list().ofMinSize(1).ofMaxSize(3),
        uniform(0, 99),
        uniform(0, 99))
        .as((groups, open, split) -> new Step(StepKind.TRANSFERS, groups, List.of(), open < 4, split < 25, 0))
        .withoutEdgeCases();

    Arbitrary<AccountGen> account = Combinators.combine(
        uniform(0, ACCOUNTS - 1),
        Arbitraries.frequencyOf(Tuple.of(94, Arbitraries.just(0)), Tuple.of(3, Arbitraries.just(1)),
            Tuple.of(3, Arbitraries.just(2))),
        Arbitraries.frequencyOf(
            Tuple.of(40, Arbitraries.just(0)),
            Tuple.of(30, Arbitraries.just(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)),
            Tuple.of(10, Arbitraries.just(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)),
            Tuple.of(8, Arbitraries.just(AccountFlags.HISTORY)),
            Tuple.of(7, Arbitraries.just(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.HISTORY)),
            Tuple.of(5, Arbitraries.just(
                AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS))),
        Arbitraries.frequencyOf(Tuple.of(88, Arbitraries.just(LEDGER)), Tuple.of(8, Arbitraries.just(OTHER_LEDGER)),
            Tuple.of(4, Arbitraries.just(0))),
        Arbitraries.frequencyOf(Tuple.of(90, Arbitraries.just(1)), Tuple.of(6, Arbitraries.just(2)),
            Tuple.of(4, Arbitraries.just(0))),
        Arbitraries.frequencyOf(Tuple.of(85, Arbitraries.just(0L)), Tuple.of(15, Arbitraries.just(7L))),
        Arbitraries.frequencyOf(Tuple.of(94, Arbitraries.just(0)), Tuple.of(3, Arbitraries.just(AccountFlags.CLOSED)),
            Tuple.of(3, Arbitraries.just(1 << 10))))
        .as(AccountGen::new).withoutEdgeCases();
    Arbitrary<List<AccountGen>> accountGroup = Arbitraries.frequencyOf(
        Tuple.of(7, account.list().ofSize(1)),
        Tuple.of(3, account.list().ofMinSize(2).ofMaxSize(4)));
    Arbitrary<Step> accounts = Combinators.combine(
        accountGroup.list().ofMinSize(1).ofMaxSize(2), uniform(0, 99))
        .as((groups, open) -> new Step(StepKind.ACCOUNTS, List.of(), groups, open < 5, false, 0))
        .withoutEdgeCases();

    Arbitrary<Step> clockStep = uniform(1, 3)
        .map(n -> new Step(StepKind.CLOCK, List.of(), List.of(), false, false, n));

    return Arbitraries.frequencyOf(Tuple.of(70, transfers), Tuple.of(10, accounts), Tuple.of(20, clockStep))
        .list().ofMinSize(25).ofMaxSize(40);
  }

  /** @param weights of the kinds, in {@link Kind} order */
  private static Arbitrary<TransferGen> transferGen(int[] weights) {
    List<Tuple.Tuple2<Integer, Kind>> kinds = new ArrayList<>();
    for (Kind k : Kind.values()) {
      kinds.add(Tuple.of(weights[k.ordinal()], k));
    }
    return Combinators.combine(
        Arbitraries.frequency(kinds).withoutEdgeCases(),
        uniform(0, 99),
        accountPick(),
        accountPick(),
        uniform(1, 120).map(Integer::longValue),
        Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0)), Tuple.of(6, uniform(1, 6))).withoutEdgeCases(),
        uniform(0, 999),
        uniform(0, 15))
        .as(TransferGen::new).withoutEdgeCases();
  }

  /**
   * Mostly the set-up accounts (0 is the unconstrained funding account), sometimes 4 or 5, which
   * exist only if a random step created them.
   */
  private static Arbitrary<Integer> accountPick() {
    return Arbitraries.frequencyOf(Tuple.of(30, Arbitraries.just(0)), Tuple.of(62, uniform(1, 3)),
        Tuple.of(8, uniform(4, 5))).withoutEdgeCases();
  }

  /**
   * Uniform and without edge cases (jqwik mixes min and max into list elements often): the knobs
   * are choices, not numbers whose edges matter.
   */
  private static Arbitrary<Integer> uniform(int min, int max) {
    return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform())
        .withoutEdgeCases();
  }

  // ---------------------------------------------------------------- the property

  @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
  void theLedgerAgreesWithTheReferenceModel(@ForAll("walletFlags") List<Integer> walletFlags,
      @ForAll("steps") List<Step> steps) throws Exception {
    Run run = new Run();
    List<Account> setup = new ArrayList<>();
    setup.add(Account.open(run.accounts[0], LEDGER, 1, 0));
    for (int i = 1; i < SETUP_ACCOUNTS; i++) {
      setup.add(Account.open(run.accounts[i], LEDGER, 1, walletFlags.get(i - 1)));
    }
    run.accounts(-1, setup);
    // Opening balances: wallets get credit to spend, accounts that may not be credited beyond their
    // debits get debits to be repaid.
    List<Transfer> opening = new ArrayList<>();
    for (int i = 1; i < SETUP_ACCOUNTS; i++) {
      boolean creditLimited = (walletFlags.get(i - 1) & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) != 0;
      opening.add(creditLimited ? Transfer.of(run.newId(), run.accounts[i], run.accounts[0], 150, LEDGER, 1)
          : Transfer.of(run.newId(), run.accounts[0], run.accounts[i], 150, LEDGER, 1));
    }
    run.transfers(-1, new Step(StepKind.TRANSFERS, List.of(), List.of(), false, false, 0), List.of(opening));
    for (int i = 0; i < steps.size(); i++) {
      run.step(i, steps.get(i));
    }
    run.compareTransfersAndHolds();
    assertThat(LedgerInvariants.violations(ds)).isEmpty();
  }

  /** One try: its own accounts and ids, the model, and what it has sent so far. */
  private static final class Run {
    final UUID[] accounts = new UUID[ACCOUNTS];
    final ReferenceLedger model = new ReferenceLedger(clock.get());
    /** Every transfer id the try has used, in order (a name for messages: T + index). */
    final List<UUID> ids = new ArrayList<>();
    final Map<UUID, Integer> idIndex = new HashMap<>();
    final List<Transfer> sent = new ArrayList<>();
    final List<Transfer> pendingsSent = new ArrayList<>();
    final List<Transfer> pendingsCreated = new ArrayList<>();
    final List<Transfer> resolutionsSent = new ArrayList<>();
    final StringBuilder log = new StringBuilder();

    Run() {
      for (int i = 0; i < ACCOUNTS; i++) {
        accounts[i] = UUID.randomUUID();
      }
    }

    void step(int index, Step step) throws Exception {
      switch (step.kind()) {
        case CLOCK -> {
          clock.addAndGet(step.clockSteps() * STEP_NANOS);
          model.advanceTo(clock.get());
          log.append(index).append(": clock +").append(step.clockSteps() * 700).append(" ms\n");
          // Runs a batch, so that what fell due is expired before balances are compared.
          assertThat(ledger.createTransfers(List.of(Transfer.of(Ids.ZERO, accounts[0], accounts[1], 1, LEDGER, 1))))
              .containsExactly(CreateTransferResult.ID_MUST_NOT_BE_ZERO);
        }
        case ACCOUNTS -> accounts(index, accountRequest(step));
        case TRANSFERS -> transfers(index, step);
        default -> throw new IllegalStateException();
      }
      compareAccounts(index);
    }

    void accounts(int index, List<Account> request) {
      List<CreateAccountResult> actual = ledger.createAccounts(request);
      List<CreateAccountResult> expected = model.createAccounts(request);
      log.append(index).append(": accounts ").append(describeAccounts(request)).append(" -> ").append(actual).append('\n');
      assertThat(actual).as("account results at step %d\n%s", index, log).isEqualTo(expected);
      actual.forEach(result -> Statistics.label("account results").collect(result));
    }

    void transfers(int index, Step step) throws Exception {
      transfers(index, step, null);
    }

    /** @param given the groups to send, or null to build them from the step's knobs */
    void transfers(int index, Step step, List<List<Transfer>> given) throws Exception {
      List<List<Transfer>> groups = given != null ? given : new ArrayList<>();
      for (List<TransferGen> g : given != null ? List.<List<TransferGen>>of() : step.groups()) {
        List<Transfer> group = new ArrayList<>();
        for (int k = 0; k < g.size(); k++) {
          Transfer t = transfer(g.get(k));
          boolean linked = k < g.size() - 1;
          group.add(t.withFlags((t.flags() & ~TransferFlags.LINKED) | (linked ? TransferFlags.LINKED : 0)));
        }
        groups.add(group);
      }
      if (step.openEnd()) {
        List<Transfer> last = groups.get(groups.size() - 1);
        Transfer t = last.get(last.size() - 1);
        last.set(last.size() - 1, t.withFlags(t.flags() | TransferFlags.LINKED));
      }
      List<List<Transfer>> requests = new ArrayList<>();
      if (step.split() && groups.size() > 1) {
        int cut = groups.size() / 2;
        requests.add(flatten(groups.subList(0, cut)));
        requests.add(flatten(groups.subList(cut, groups.size())));
      } else {
        requests.add(flatten(groups));
      }
      // Submitted back to back, so that they may share a batch; the writer keeps their order.
      List<CompletableFuture<List<CreateTransferResult>>> futures = new ArrayList<>();
      for (List<Transfer> r : requests) {
        futures.add(ledger.submitTransfers(r));
      }
      for (int r = 0; r < requests.size(); r++) {
        List<CreateTransferResult> actual = futures.get(r).get(60, TimeUnit.SECONDS);
        List<CreateTransferResult> expected = model.createTransfers(requests.get(r));
        log.append(index).append(requests.size() > 1 ? "/" + r : "").append(": ")
            .append(describeTransfers(requests.get(r))).append(" -> ").append(actual).append('\n');
        assertThat(actual).as("transfer results at step %d (model says %s)\n%s", index, expected, log)
            .isEqualTo(expected);
        actual.forEach(result -> Statistics.label("transfer results").collect(result));
        collectChainOutcomes(requests.get(r), actual);
        for (int k = 0; k < actual.size(); k++) {
          Transfer t = requests.get(r).get(k);
          if (actual.get(k) == CreateTransferResult.CREATED && t.hasFlag(TransferFlags.PENDING)) {
            pendingsCreated.add(t);
          }
        }
      }
      for (List<Transfer> r : requests) {
        for (Transfer t : r) {
          if (!Ids.isZero(t.id()) && !t.id().equals(Ids.MAX)) {
            sent.add(t);
            if (t.hasFlag(TransferFlags.PENDING)) {
              pendingsSent.add(t);
            }
            if (t.hasFlag(TransferFlags.POST_PENDING_TRANSFER) || t.hasFlag(TransferFlags.VOID_PENDING_TRANSFER)) {
              resolutionsSent.add(t);
            }
          }
        }
      }
    }

    /** Statistics: how linked chains of each length fared, so a run shows that some succeed. */
    static void collectChainOutcomes(List<Transfer> request, List<CreateTransferResult> results) {
      int start = 0;
      for (int k = 0; k < request.size(); k++) {
        if (!request.get(k).hasFlag(TransferFlags.LINKED) || k == request.size() - 1) {
          int length = k - start + 1;
          if (length > 1) {
            boolean ok = results.subList(start, k + 1).stream().allMatch(CreateTransferResult::ok);
            Statistics.label("linked chains").collect(length, ok ? "applied" : "failed");
          }
          start = k + 1;
        }
      }
    }

    /** Turns the knobs into a request against this try's accounts and earlier transfers. */
    Transfer transfer(TransferGen g) {
      UUID id = g.idPick() < 85 || ids.isEmpty() ? newId() : ids.get(g.idPick() % ids.size());
      UUID dr = accounts[g.debit()];
      UUID cr = accounts[g.credit()];
      int v = g.variant();
      int transferLedger = v == 15 ? OTHER_LEDGER : LEDGER;
      switch (g.kind()) {
        case SINGLE: {
          Transfer t = Transfer.of(id, dr, cr, g.amount(), transferLedger, 1);
          return v == 1 ? t.withUserData(null, 5, 0) : t;
        }
        case PENDING: {
          Transfer t = Transfer.pending(id, dr, cr, g.amount(), transferLedger, 1, g.timeout());
          return v == 1 ? t.withUserData(null, 5, 6) : t;
        }
        case BALANCING: {
          int flags = switch (v % 3) {
            case 0 -> TransferFlags.BALANCING_DEBIT;
            case 1 -> TransferFlags.BALANCING_CREDIT;
            default -> TransferFlags.BALANCING_DEBIT | TransferFlags.BALANCING_CREDIT;
          };
          if (v >= 8) {
            return Transfer.pending(id, dr, cr, g.amount(), LEDGER, 1, g.timeout())
                .withFlags(flags | TransferFlags.PENDING);
          }
          return Transfer.of(id, dr, cr, g.amount(), LEDGER, 1).withFlags(flags);
        }
        case POST: {
          Transfer p = target(g);
          long amount = switch (v % 4) {
            case 0 -> 0;
            case 1 -> Math.max(1, p.amount() / 2);
            case 2 -> p.amount();
            default -> p.amount() + 1;
          };
          return switch (v / 4) {
            case 0 -> Transfer.post(id, p.id(), amount);
            case 1 -> new Transfer(id, p.debitAccountId(), p.creditAccountId(), amount, p.id(), null, 0, 0, 0,
                p.ledger(), p.code(), TransferFlags.POST_PENDING_TRANSFER, 0);
            case 2 -> new Transfer(id, dr, null, amount, p.id(), null, 0, 0, 0, 0, 0,
                TransferFlags.POST_PENDING_TRANSFER, 0);
            default -> Transfer.post(id, p.id(), amount).withUserData(null, 9, 0);
          };
        }
        case VOID: {
          Transfer p = target(g);
          long amount = switch (v % 3) {
            case 0 -> 0;
            case 1 -> p.amount();
            default -> p.amount() + 1;
          };
          return new Transfer(id, null, null, amount, p.id(), null, 0, 0, 0, 0, v == 4 ? 2 : 0,
              TransferFlags.VOID_PENDING_TRANSFER, 0);
        }
        case REPEAT:
          return sent.isEmpty() ? Transfer.of(id, dr, cr, g.amount(), LEDGER, 1) : sent.get(g.pick() % sent.size());
        case REPEAT_CHANGED: {
          if (sent.isEmpty()) {
            return Transfer.of(id, dr, cr, g.amount(), LEDGER, 1);
          }
          // Posts and voids half of the time: their zero fields stand for the pending transfer's.
          Transfer t = !resolutionsSent.isEmpty() && g.pick() % 2 == 0
              ? resolutionsSent.get(g.pick() / 2 % resolutionsSent.size()) : sent.get(g.pick() % sent.size());
          if (v >= 12 && (t.hasFlag(TransferFlags.POST_PENDING_TRANSFER) || t.hasFlag(TransferFlags.VOID_PENDING_TRANSFER))) {
            // The same post or void with every field it may inherit left zero.
            return new Transfer(t.id(), null, null, 0, t.pendingId(), null, 0, 0, 0, 0, 0, t.flags(), 0);
          }
          return switch (v % 10) {
            case 0 -> with(t, t.debitAccountId(), t.creditAccountId(), t.amount() + 1, t.timeoutSeconds(), t.ledger(), t.code());
            case 1 -> t.withUserData(t.userData128(), 99, t.userData32());
            case 2 -> with(t, t.debitAccountId(), t.creditAccountId(), t.amount(), t.timeoutSeconds(), t.ledger(), 2);
            case 3 -> with(t, t.debitAccountId(), t.creditAccountId(), t.amount(),
                t.hasFlag(TransferFlags.PENDING) ? t.timeoutSeconds() + 1 : 0, t.ledger(), t.code());
            case 4 -> with(t, dr, t.creditAccountId(), t.amount(), t.timeoutSeconds(), t.ledger(), t.code());
            case 5 -> with(t, t.debitAccountId(), t.creditAccountId(), 0, t.timeoutSeconds(), t.ledger(), t.code());
            case 6 -> t.withUserData(new UUID(0, 6), t.userData64(), t.userData32());
            case 7 -> t.withUserData(t.userData128(), t.userData64(), 7);
            case 8 -> with(t, t.debitAccountId(), t.creditAccountId(), t.amount(), t.timeoutSeconds(), OTHER_LEDGER, t.code());
            default -> t.withFlags(t.flags() ^ TransferFlags.PENDING);
          };
        }
        case INVALID: {
          Transfer t = Transfer.of(id, dr, cr, g.amount(), LEDGER, 1);
          return switch (v) {
            case 0 -> with(t, dr, cr, 0, 0, LEDGER, 1);
            case 1 -> with(t, dr, cr, -1, 0, LEDGER, 1);
            case 2 -> with(t, dr, cr, g.amount(), 0, 0, 1);
            case 3 -> with(t, dr, cr, g.amount(), 0, LEDGER, 0);
            case 4 -> with(t, dr, dr, g.amount(), 0, LEDGER, 1);
            case 5 -> with(t, Ids.ZERO, cr, g.amount(), 0, LEDGER, 1);
            case 6 -> new Transfer(id, dr, cr, g.amount(), newId(), null, 0, 0, 0, LEDGER, 1, 0, 0);
            case 7 -> with(t, dr, cr, g.amount(), 3, LEDGER, 1);
            case 8 -> Transfer.pending(id, dr, cr, g.amount(), LEDGER, 1, -1);
            case 9 -> t.withFlags(1 << 11);
            case 10 -> Transfer.post(id, target(g).id(), 0)
                .withFlags(TransferFlags.POST_PENDING_TRANSFER | TransferFlags.VOID_PENDING_TRANSFER);
            case 11 -> t.withFlags(TransferFlags.CLOSING_DEBIT);
            case 12 -> Transfer.of(Ids.ZERO, dr, cr, g.amount(), LEDGER, 1);
            case 13 -> Transfer.post(id, id, 0);
            case 14 -> new Transfer(id, null, null, 0, target(g).id(), null, 0, 0, 2, 0, 0,
                TransferFlags.POST_PENDING_TRANSFER, 0);
            default -> Transfer.post(id, target(g).id(), 0).withFlags(
                TransferFlags.POST_PENDING_TRANSFER | TransferFlags.BALANCING_CREDIT);
          };
        }
        default:
          throw new IllegalStateException();
      }
    }

    /** Mostly a hold created earlier in the try; else any pending request sent, or any id. */
    Transfer target(TransferGen g) {
      if (!pendingsCreated.isEmpty() && g.pick() % 10 < 7) {
        return pendingsCreated.get(g.pick() / 10 % pendingsCreated.size());
      }
      if (!pendingsSent.isEmpty() && g.pick() % 10 != 9) {
        return pendingsSent.get(g.pick() / 10 % pendingsSent.size());
      }
      UUID id = ids.isEmpty() || g.pick() % 20 == 0 ? newId() : ids.get(g.pick() % ids.size());
      return Transfer.pending(id, accounts[0], accounts[1], 10, LEDGER, 1, 0);
    }

    List<Account> accountRequest(Step step) {
      List<Account> request = new ArrayList<>();
      for (List<AccountGen> g : step.accountGroups()) {
        for (int k = 0; k < g.size(); k++) {
          AccountGen a = g.get(k);
          UUID id = switch (a.special()) {
            case 1 -> Ids.ZERO;
            case 2 -> Ids.MAX;
            default -> accounts[a.slot()];
          };
          int flags = a.flags() | a.rogue() | (k < g.size() - 1 ? AccountFlags.LINKED : 0);
          request.add(Account.open(id, a.ledger(), a.code(), flags).withUserData(null, a.userData64(), 0));
        }
      }
      if (step.openEnd()) {
        Account last = request.get(request.size() - 1);
        request.set(request.size() - 1, new Account(last.id(), 0, 0, 0, 0, last.userData128(), last.userData64(),
            last.userData32(), last.ledger(), last.code(), last.flags() | AccountFlags.LINKED, 0));
      }
      return request;
    }

    void compareAccounts(int index) {
      Map<UUID, Account> stored = new HashMap<>();
      for (Account a : ledger.lookupAccounts(List.of(accounts))) {
        stored.put(a.id(), a);
      }
      for (int i = 0; i < ACCOUNTS; i++) {
        ReferenceLedger.Acct m = model.account(accounts[i]);
        Account a = stored.get(accounts[i]);
        String what = "account A" + i + " after step " + index + "\n" + log;
        if (m == null) {
          assertThat(a).as(what).isNull();
          continue;
        }
        assertThat(a).as(what).isNotNull();
        assertThat(new long[] {a.debitsPending(), a.debitsPosted(), a.creditsPending(), a.creditsPosted()})
            .as("balances (dp, dpo, cp, cpo) of " + what)
            .containsExactly(m.debitsPending, m.debitsPosted, m.creditsPending, m.creditsPosted);
        assertThat(new long[] {a.flags(), a.ledger(), a.code(), a.userData64()}).as("flags, ledger, code of " + what)
            .containsExactly(m.flags, m.ledger, m.code, m.userData64);
      }
    }

    /** At the end of a try: every stored transfer and every hold's status as the model has them. */
    void compareTransfersAndHolds() {
      Set<UUID> all = new LinkedHashSet<>(ids);
      Map<UUID, Transfer> stored = new HashMap<>();
      for (Transfer t : ledger.lookupTransfers(all)) {
        stored.put(t.id(), t);
      }
      for (UUID id : all) {
        Transfer m = model.transfer(id);
        Transfer a = stored.get(id);
        String what = "transfer T" + idIndex.get(id) + "\n" + log;
        if (m == null) {
          assertThat(a).as(what).isNull();
          continue;
        }
        assertThat(a).as(what).isNotNull();
        assertThat(new Transfer(a.id(), a.debitAccountId(), a.creditAccountId(), a.amount(), a.pendingId(),
            a.userData128(), a.userData64(), a.userData32(), a.timeoutSeconds(), a.ledger(), a.code(), a.flags(), 0))
            .as(what).isEqualTo(m);
      }
      Map<UUID, PendingStatus> status = ledger.pendingStatus(all);
      for (UUID id : all) {
        assertThat(status.get(id)).as("status of T" + idIndex.get(id) + "\n" + log).isEqualTo(model.pendingStatus(id));
      }
    }

    UUID newId() {
      UUID id = UUID.randomUUID();
      idIndex.put(id, ids.size());
      ids.add(id);
      return id;
    }

    String describeTransfers(List<Transfer> ts) {
      StringBuilder b = new StringBuilder("[");
      for (Transfer t : ts) {
        if (b.length() > 1) {
          b.append(", ");
        }
        b.append(name(t.id())).append('{');
        if (t.flags() != 0) {
          b.append("f=").append(flagNames(t.flags())).append(' ');
        }
        if (!Ids.isZero(t.debitAccountId()) || !Ids.isZero(t.creditAccountId())) {
          b.append(name(t.debitAccountId())).append("->").append(name(t.creditAccountId())).append(' ');
        }
        if (!Ids.isZero(t.pendingId())) {
          b.append("p=").append(name(t.pendingId())).append(' ');
        }
        b.append(t.amount());
        if (t.timeoutSeconds() != 0) {
          b.append(" to=").append(t.timeoutSeconds());
        }
        if (t.ledger() != LEDGER) {
          b.append(" l=").append(t.ledger());
        }
        if (t.code() != 1) {
          b.append(" c=").append(t.code());
        }
        if (t.userData64() != 0 || t.userData32() != 0 || !Ids.isZero(t.userData128())) {
          b.append(" ud=").append(t.userData128().getLeastSignificantBits()).append('/').append(t.userData64())
              .append('/').append(t.userData32());
        }
        b.append('}');
      }
      return b.append(']').toString();
    }

    String describeAccounts(List<Account> as) {
      StringBuilder b = new StringBuilder("[");
      for (Account a : as) {
        if (b.length() > 1) {
          b.append(", ");
        }
        b.append(name(a.id())).append("{f=").append(a.flags()).append(" l=").append(a.ledger()).append(" c=")
            .append(a.code()).append(" ud64=").append(a.userData64()).append('}');
      }
      return b.append(']').toString();
    }

    String name(UUID id) {
      if (Ids.isZero(id)) {
        return "0";
      }
      if (id.equals(Ids.MAX)) {
        return "MAX";
      }
      for (int i = 0; i < ACCOUNTS; i++) {
        if (accounts[i].equals(id)) {
          return "A" + i;
        }
      }
      Integer k = idIndex.get(id);
      return k == null ? "?" : "T" + k;
    }

    private static String flagNames(int flags) {
      String[] names = {"linked", "pending", "post", "void", "bal_dr", "bal_cr", "close_dr", "close_cr"};
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 32; i++) {
        if ((flags & (1 << i)) != 0) {
          b.append(b.length() > 0 ? "|" : "").append(i < names.length ? names[i] : "bit" + i);
        }
      }
      return b.toString();
    }

    private static List<Transfer> flatten(List<List<Transfer>> groups) {
      List<Transfer> out = new ArrayList<>();
      groups.forEach(out::addAll);
      return out;
    }

    private static Transfer with(Transfer t, UUID dr, UUID cr, long amount, int timeout, int ledgerId, int code) {
      return new Transfer(t.id(), dr, cr, amount, t.pendingId(), t.userData128(), t.userData64(), t.userData32(),
          timeout, ledgerId, code, t.flags(), 0);
    }
  }
}
