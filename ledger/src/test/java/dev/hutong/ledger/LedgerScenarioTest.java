package dev.hutong.ledger;

import static dev.hutong.ledger.CreateAccountResult.CREATED;
import static dev.hutong.ledger.CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
import static dev.hutong.ledger.CreateTransferResult.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER;
import static dev.hutong.ledger.CreateTransferResult.AMOUNT_MUST_NOT_BE_NEGATIVE;
import static dev.hutong.ledger.CreateTransferResult.AMOUNT_MUST_NOT_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.CLOSING_TRANSFER_MUST_BE_PENDING;
import static dev.hutong.ledger.CreateTransferResult.CODE_MUST_NOT_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.CREDIT_ACCOUNT_ALREADY_CLOSED;
import static dev.hutong.ledger.CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.CREDIT_ACCOUNT_NOT_FOUND;
import static dev.hutong.ledger.CreateTransferResult.DEBIT_ACCOUNT_ALREADY_CLOSED;
import static dev.hutong.ledger.CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.DEBIT_ACCOUNT_NOT_FOUND;
import static dev.hutong.ledger.CreateTransferResult.EXCEEDS_CREDITS;
import static dev.hutong.ledger.CreateTransferResult.EXCEEDS_DEBITS;
import static dev.hutong.ledger.CreateTransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
import static dev.hutong.ledger.CreateTransferResult.EXISTS;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_FLAGS;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_PENDING_ID;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
import static dev.hutong.ledger.CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
import static dev.hutong.ledger.CreateTransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
import static dev.hutong.ledger.CreateTransferResult.ID_ALREADY_FAILED;
import static dev.hutong.ledger.CreateTransferResult.ID_MUST_NOT_BE_INT_MAX;
import static dev.hutong.ledger.CreateTransferResult.ID_MUST_NOT_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.LEDGER_MUST_NOT_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.LINKED_EVENT_CHAIN_OPEN;
import static dev.hutong.ledger.CreateTransferResult.LINKED_EVENT_FAILED;
import static dev.hutong.ledger.CreateTransferResult.OVERFLOWS_CREDITS;
import static dev.hutong.ledger.CreateTransferResult.OVERFLOWS_CREDITS_PENDING;
import static dev.hutong.ledger.CreateTransferResult.OVERFLOWS_CREDITS_POSTED;
import static dev.hutong.ledger.CreateTransferResult.OVERFLOWS_DEBITS;
import static dev.hutong.ledger.CreateTransferResult.OVERFLOWS_DEBITS_PENDING;
import static dev.hutong.ledger.CreateTransferResult.OVERFLOWS_DEBITS_POSTED;
import static dev.hutong.ledger.CreateTransferResult.OVERFLOWS_TIMEOUT;
import static dev.hutong.ledger.CreateTransferResult.PENDING_ID_MUST_BE_DIFFERENT;
import static dev.hutong.ledger.CreateTransferResult.PENDING_ID_MUST_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.PENDING_ID_MUST_NOT_BE_INT_MAX;
import static dev.hutong.ledger.CreateTransferResult.PENDING_ID_MUST_NOT_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_ALREADY_POSTED;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_EXPIRED;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CODE;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_NOT_FOUND;
import static dev.hutong.ledger.CreateTransferResult.PENDING_TRANSFER_NOT_PENDING;
import static dev.hutong.ledger.CreateTransferResult.RESERVED_FLAG;
import static dev.hutong.ledger.CreateTransferResult.TIMEOUT_MUST_NOT_BE_NEGATIVE;
import static dev.hutong.ledger.CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
import static dev.hutong.ledger.CreateTransferResult.TIMESTAMP_MUST_BE_ZERO;
import static dev.hutong.ledger.CreateTransferResult.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One test per rule of the ledger, with exact results and balances. All tests share one database
 * and one Ledger (each uses its own fresh accounts), driven by a hand clock that only moves forward;
 * after each test the invariants checker must find nothing wrong with the committed rows.
 */
@Tag("db")
class LedgerScenarioTest {
  private static final int CNY = 156;
  private static final int USD = 840;
  private static final int CODE = 1;
  private static final long SECOND = 1_000_000_000L;
  /** No linger: every test request is its own batch, and the suite stays fast. */
  private static final LedgerSettings SETTINGS =
      new LedgerSettings(1024, LedgerSettings.BATCH_EVENTS_LIMIT, 0, 5);
  private static final AtomicLong clock = new AtomicLong(1_700_000_000L * SECOND);

  private static HikariDataSource ds;
  private static Ledger ledger;

  /** An account's four balances, for exact comparisons. */
  record Balances(long debitsPending, long debitsPosted, long creditsPending, long creditsPosted) {}

  @BeforeAll
  static void start() {
    ds = TestDatabases.open("ledger_scenarios", 6);
    Migrations.migrate(ds, Ledger.SCHEMA_MODULE);
    ledger = Ledger.start(ds, SETTINGS, clock::get);
  }

  @AfterAll
  static void stop() {
    if (ledger != null) {
      ledger.close();
    }
    if (ds != null) {
      ds.close();
    }
  }

  @AfterEach
  void invariantsHold() throws SQLException {
    assertThat(LedgerInvariants.violations(ds)).isEmpty();
  }

  // ------------------------------------------------------------------ accounts

  @Test
  void anAccountIsCreatedOnceAndThenExists() {
    UUID id = Ids.next();
    UUID data = Ids.next();
    int flags = AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.HISTORY;
    Account a = Account.open(id, CNY, CODE, flags).withUserData(data, 64, 32);

    assertThat(ledger.createAccounts(List.of(a))).containsExactly(CREATED);
    assertThat(ledger.createAccounts(List.of(a))).containsExactly(CreateAccountResult.EXISTS);

    Account stored = get(id);
    assertThat(stored.flags()).isEqualTo(flags);
    assertThat(stored.ledger()).isEqualTo(CNY);
    assertThat(stored.code()).isEqualTo(CODE);
    assertThat(stored.userData128()).isEqualTo(data);
    assertThat(stored.userData64()).isEqualTo(64);
    assertThat(stored.userData32()).isEqualTo(32);
    assertThat(stored.timestamp()).isPositive();
    assertThat(balances(id)).isEqualTo(new Balances(0, 0, 0, 0));

    UUID twice = Ids.next();
    Account b = Account.open(twice, CNY, CODE, 0);
    assertThat(ledger.createAccounts(List.of(b, b)))
        .containsExactly(CREATED, CreateAccountResult.EXISTS);
  }

  @Test
  void anExistingAccountReportsTheFirstFieldThatDiffers() {
    UUID id = Ids.next();
    UUID data = Ids.next();
    Account a = Account.open(id, CNY, CODE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
        .withUserData(data, 64, 32);
    assertThat(ledger.createAccounts(List.of(a))).containsExactly(CREATED);

    List<Account> variants = List.of(
        Account.open(id, CNY, CODE, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS).withUserData(data, 64, 32),
        Account.open(id, CNY, CODE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS).withUserData(Ids.next(), 64, 32),
        Account.open(id, CNY, CODE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS).withUserData(data, 65, 32),
        Account.open(id, CNY, CODE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS).withUserData(data, 64, 33),
        Account.open(id, USD, CODE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS).withUserData(data, 64, 32),
        Account.open(id, CNY, CODE + 1, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS).withUserData(data, 64, 32));
    assertThat(ledger.createAccounts(variants)).containsExactly(
        CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS,
        CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_128,
        CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_64,
        CreateAccountResult.EXISTS_WITH_DIFFERENT_USER_DATA_32,
        CreateAccountResult.EXISTS_WITH_DIFFERENT_LEDGER,
        CreateAccountResult.EXISTS_WITH_DIFFERENT_CODE);

    Account stored = get(id);
    assertThat(stored.flags()).isEqualTo(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
    assertThat(stored.userData64()).isEqualTo(64);
    assertThat(stored.ledger()).isEqualTo(CNY);
  }

  @Test
  void invalidAccountsAreRejectedAndNotCreated() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(Ids.next());
    }
    List<Account> requests = List.of(
        Account.open(ids.get(0), CNY, CODE, 1 << 9),
        Account.open(ids.get(1), CNY, CODE, AccountFlags.CLOSED),
        Account.open(Ids.ZERO, CNY, CODE, 0),
        Account.open(Ids.MAX, CNY, CODE, 0),
        Account.open(ids.get(2), CNY, CODE,
            AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS),
        new Account(ids.get(3), 1, 0, 0, 0, Ids.ZERO, 0, 0, CNY, CODE, 0, 0),
        new Account(ids.get(4), 0, 1, 0, 0, Ids.ZERO, 0, 0, CNY, CODE, 0, 0),
        new Account(ids.get(5), 0, 0, 1, 0, Ids.ZERO, 0, 0, CNY, CODE, 0, 0),
        new Account(ids.get(6), 0, 0, 0, 1, Ids.ZERO, 0, 0, CNY, CODE, 0, 0),
        Account.open(ids.get(7), 0, CODE, 0),
        Account.open(ids.get(8), CNY, 0, 0),
        new Account(ids.get(9), 0, 0, 0, 0, Ids.ZERO, 0, 0, CNY, CODE, 0, 12345));
    assertThat(ledger.createAccounts(requests)).containsExactly(
        CreateAccountResult.RESERVED_FLAG,
        CreateAccountResult.RESERVED_FLAG,
        CreateAccountResult.ID_MUST_NOT_BE_ZERO,
        CreateAccountResult.ID_MUST_NOT_BE_INT_MAX,
        CreateAccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE,
        CreateAccountResult.DEBITS_PENDING_MUST_BE_ZERO,
        CreateAccountResult.DEBITS_POSTED_MUST_BE_ZERO,
        CreateAccountResult.CREDITS_PENDING_MUST_BE_ZERO,
        CreateAccountResult.CREDITS_POSTED_MUST_BE_ZERO,
        CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO,
        CreateAccountResult.CODE_MUST_NOT_BE_ZERO,
        CreateAccountResult.TIMESTAMP_MUST_BE_ZERO);
    assertThat(ledger.lookupAccounts(ids)).isEmpty();
    assertThat(ledger.lookupAccounts(List.of(Ids.ZERO, Ids.MAX))).isEmpty();

    // A rejected account was not remembered: the corrected request creates it.
    assertThat(ledger.createAccounts(List.of(Account.open(ids.get(7), CNY, CODE, 0))))
        .containsExactly(CREATED);
  }

  @Test
  void linkedAccountsAreCreatedAllOrNothing() {
    UUID a = Ids.next();
    UUID b = Ids.next();
    UUID c = Ids.next();
    assertThat(ledger.createAccounts(List.of(linked(a), linked(b), Account.open(c, CNY, CODE, 0))))
        .containsExactly(CREATED, CREATED, CREATED);
    assertThat(get(a).flags()).as("LINKED belongs to the request, not the account").isZero();

    // A failure anywhere fails the whole chain.
    UUID d = Ids.next();
    UUID e = Ids.next();
    UUID f = Ids.next();
    assertThat(ledger.createAccounts(List.of(linked(d),
        Account.open(e, 0, CODE, AccountFlags.LINKED), Account.open(f, CNY, CODE, 0))))
        .containsExactly(CreateAccountResult.LINKED_EVENT_FAILED,
            CreateAccountResult.LEDGER_MUST_NOT_BE_ZERO, CreateAccountResult.LINKED_EVENT_FAILED);
    assertThat(ledger.lookupAccounts(List.of(d, e, f))).isEmpty();

    // A chain still open at the end of the request fails.
    UUID g = Ids.next();
    UUID h = Ids.next();
    assertThat(ledger.createAccounts(List.of(linked(g), linked(h))))
        .containsExactly(CreateAccountResult.LINKED_EVENT_FAILED,
            CreateAccountResult.LINKED_EVENT_CHAIN_OPEN);
    assertThat(ledger.lookupAccounts(List.of(g, h))).isEmpty();

    // Events outside the failed chain are unaffected.
    UUID i = Ids.next();
    UUID j = Ids.next();
    UUID k = Ids.next();
    UUID m = Ids.next();
    assertThat(ledger.createAccounts(List.of(Account.open(i, CNY, CODE, 0), linked(j),
        Account.open(k, CNY, 0, 0), Account.open(m, CNY, CODE, 0))))
        .containsExactly(CREATED, CreateAccountResult.LINKED_EVENT_FAILED,
            CreateAccountResult.CODE_MUST_NOT_BE_ZERO, CREATED);
    assertThat(ledger.lookupAccounts(List.of(i, j, k, m))).extracting(Account::id)
        .containsExactlyInAnyOrder(i, m);

    // exists counts as success inside a chain; exists_with_different_* breaks it.
    UUID n = Ids.next();
    assertThat(ledger.createAccounts(List.of(linked(a), Account.open(n, CNY, CODE, 0))))
        .containsExactly(CreateAccountResult.EXISTS, CREATED);
    UUID p = Ids.next();
    assertThat(ledger.createAccounts(List.of(
        Account.open(a, CNY, CODE, AccountFlags.LINKED | AccountFlags.HISTORY),
        Account.open(p, CNY, CODE, 0))))
        .containsExactly(CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS,
            CreateAccountResult.LINKED_EVENT_FAILED);
    assertThat(ledger.lookupAccounts(List.of(p))).isEmpty();

    // An open chain answers chain_open at its end even when an earlier event broke it.
    UUID r = Ids.next();
    UUID s = Ids.next();
    UUID t = Ids.next();
    assertThat(ledger.createAccounts(List.of(linked(r), Account.open(s, CNY, 0, AccountFlags.LINKED), linked(t))))
        .containsExactly(CreateAccountResult.LINKED_EVENT_FAILED, CreateAccountResult.CODE_MUST_NOT_BE_ZERO,
            CreateAccountResult.LINKED_EVENT_CHAIN_OPEN);
    assertThat(ledger.lookupAccounts(List.of(r, s, t))).isEmpty();

    // The same id twice in one chain: the second sees the first.
    UUID q = Ids.next();
    assertThat(ledger.createAccounts(List.of(linked(q), Account.open(q, CNY, CODE, 0))))
        .containsExactly(CREATED, CreateAccountResult.EXISTS);
  }

  // ------------------------------------------------------------------ single-phase transfers

  @Test
  void aSinglePhaseTransferMovesMoneyOnce() {
    UUID a = account(0);
    UUID b = account(0);
    UUID data = Ids.next();
    Transfer t = Transfer.of(Ids.next(), a, b, 100, CNY, 7).withUserData(data, 64, 32);

    assertThat(one(t)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(balances(a)).isEqualTo(new Balances(0, 100, 0, 0));
    assertThat(balances(b)).isEqualTo(new Balances(0, 0, 0, 100));

    Transfer stored = transfer(t.id());
    assertThat(stored.timestamp()).isPositive();
    assertThat(stored).isEqualTo(withTimestamp(t, stored.timestamp()));

    assertThat(one(t)).isEqualTo(EXISTS);
    assertThat(balances(a)).isEqualTo(new Balances(0, 100, 0, 0));

    Transfer twice = Transfer.of(Ids.next(), a, b, 5, CNY, CODE);
    assertThat(ledger.createTransfers(List.of(twice, twice)))
        .containsExactly(CreateTransferResult.CREATED, EXISTS);
    assertThat(balances(b)).isEqualTo(new Balances(0, 0, 0, 105));
  }

  @Test
  void anExistingTransferReportsTheFirstFieldThatDiffers() {
    UUID a = account(0);
    UUID b = account(0);
    UUID c = account(0);
    UUID data = Ids.next();
    Transfer t = Transfer.of(Ids.next(), a, b, 100, CNY, CODE).withUserData(data, 64, 32);
    assertThat(one(t)).isEqualTo(CreateTransferResult.CREATED);

    List<Transfer> variants = List.of(
        t.withFlags(TransferFlags.PENDING),
        copy(t, c, b, 100, CNY, CODE),
        copy(t, a, c, 100, CNY, CODE),
        copy(t, a, b, 101, CNY, CODE),
        t.withUserData(Ids.next(), 64, 32),
        t.withUserData(data, 65, 32),
        t.withUserData(data, 64, 33),
        copy(t, a, b, 100, USD, CODE),
        copy(t, a, b, 100, CNY, CODE + 1),
        t.withFlags(TransferFlags.LINKED));
    assertThat(ledger.createTransfers(variants)).containsExactly(
        EXISTS_WITH_DIFFERENT_FLAGS,
        EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID,
        EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID,
        EXISTS_WITH_DIFFERENT_AMOUNT,
        EXISTS_WITH_DIFFERENT_USER_DATA_128,
        EXISTS_WITH_DIFFERENT_USER_DATA_64,
        EXISTS_WITH_DIFFERENT_USER_DATA_32,
        EXISTS_WITH_DIFFERENT_LEDGER,
        EXISTS_WITH_DIFFERENT_CODE,
        // LINKED belongs to the request; a chain of one that is left open fails as a chain.
        LINKED_EVENT_CHAIN_OPEN);

    Transfer hold = Transfer.pending(Ids.next(), a, b, 10, CNY, CODE, 0);
    assertThat(one(hold)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(pendingWithTimeout(hold, 5))).isEqualTo(EXISTS_WITH_DIFFERENT_TIMEOUT);

    Transfer other = Transfer.pending(Ids.next(), a, b, 10, CNY, CODE, 0);
    assertThat(one(other)).isEqualTo(CreateTransferResult.CREATED);
    Transfer post = Transfer.post(Ids.next(), hold.id(), 0);
    assertThat(one(post)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(Transfer.post(post.id(), other.id(), 0))).isEqualTo(EXISTS_WITH_DIFFERENT_PENDING_ID);
    assertThat(one(Transfer.post(post.id(), hold.id(), 10))).isEqualTo(EXISTS);
    assertThat(one(Transfer.post(post.id(), hold.id(), 9))).isEqualTo(EXISTS_WITH_DIFFERENT_AMOUNT);
    assertThat(one(resolution(post.id(), hold.id(), a, b, 0, CNY, CODE,
        TransferFlags.POST_PENDING_TRANSFER))).isEqualTo(EXISTS);
    assertThat(one(resolution(post.id(), hold.id(), c, null, 0, 0, 0,
        TransferFlags.POST_PENDING_TRANSFER))).isEqualTo(EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID);
    assertThat(one(Transfer.voidPending(post.id(), hold.id()))).isEqualTo(EXISTS_WITH_DIFFERENT_FLAGS);

    assertThat(balances(a)).isEqualTo(new Balances(10, 110, 0, 0));
    assertThat(balances(b)).isEqualTo(new Balances(0, 0, 10, 110));
  }

  @Test
  void invalidTransfersAreRejectedAndMoveNothing() {
    UUID a = account(0);
    UUID b = account(0);
    UUID usd = account(0, USD);
    UUID missing = Ids.next();
    Transfer hold = Transfer.pending(Ids.next(), a, b, 50, CNY, CODE, 0);
    Transfer single = Transfer.of(Ids.next(), a, b, 5, CNY, CODE);
    assertThat(ledger.createTransfers(List.of(hold, single)))
        .containsExactly(CreateTransferResult.CREATED, CreateTransferResult.CREATED);

    UUID self = Ids.next();
    List<Transfer> requests = List.of(
        Transfer.of(Ids.next(), a, b, 1, CNY, CODE).withFlags(1 << 12),
        Transfer.of(Ids.ZERO, a, b, 1, CNY, CODE),
        Transfer.of(Ids.MAX, a, b, 1, CNY, CODE),
        new Transfer(Ids.next(), a, b, 1, Ids.ZERO, Ids.ZERO, 0, 0, 0, CNY, CODE, 0, 99),
        Transfer.of(Ids.next(), a, b, 1, CNY, CODE)
            .withFlags(TransferFlags.PENDING | TransferFlags.POST_PENDING_TRANSFER),
        Transfer.post(Ids.next(), hold.id(), 0)
            .withFlags(TransferFlags.POST_PENDING_TRANSFER | TransferFlags.VOID_PENDING_TRANSFER),
        Transfer.post(Ids.next(), hold.id(), 0)
            .withFlags(TransferFlags.POST_PENDING_TRANSFER | TransferFlags.BALANCING_DEBIT),
        Transfer.of(Ids.next(), a, b, 1, CNY, CODE).withFlags(TransferFlags.CLOSING_DEBIT),
        Transfer.of(Ids.next(), a, b, -1, CNY, CODE),
        Transfer.pending(Ids.next(), a, b, 1, CNY, CODE, -1),
        Transfer.post(Ids.next(), Ids.ZERO, 0),
        Transfer.post(Ids.next(), Ids.MAX, 0),
        Transfer.post(self, self, 0),
        new Transfer(Ids.next(), null, null, 0, hold.id(), null, 0, 0, 1, 0, 0,
            TransferFlags.POST_PENDING_TRANSFER, 0),
        new Transfer(Ids.next(), a, b, 1, null, null, 0, 0, 1, CNY, CODE, 0, 0),
        Transfer.of(Ids.next(), Ids.ZERO, b, 1, CNY, CODE),
        Transfer.of(Ids.next(), a, Ids.ZERO, 1, CNY, CODE),
        Transfer.of(Ids.next(), a, a, 1, CNY, CODE),
        new Transfer(Ids.next(), a, b, 1, hold.id(), null, 0, 0, 0, CNY, CODE, 0, 0),
        Transfer.of(Ids.next(), a, b, 1, 0, CODE),
        Transfer.of(Ids.next(), a, b, 1, CNY, 0),
        Transfer.of(Ids.next(), a, b, 0, CNY, CODE),
        Transfer.of(Ids.next(), missing, b, 1, CNY, CODE),
        Transfer.of(Ids.next(), a, missing, 1, CNY, CODE),
        Transfer.of(Ids.next(), a, usd, 1, CNY, CODE),
        Transfer.of(Ids.next(), a, b, 1, USD, CODE),
        Transfer.post(Ids.next(), Ids.next(), 0),
        Transfer.post(Ids.next(), single.id(), 0),
        resolution(Ids.next(), hold.id(), usd, null, 0, 0, 0, TransferFlags.POST_PENDING_TRANSFER),
        resolution(Ids.next(), hold.id(), null, usd, 0, 0, 0, TransferFlags.POST_PENDING_TRANSFER),
        resolution(Ids.next(), hold.id(), null, null, 0, USD, 0, TransferFlags.POST_PENDING_TRANSFER),
        resolution(Ids.next(), hold.id(), null, null, 0, 0, CODE + 1, TransferFlags.POST_PENDING_TRANSFER),
        Transfer.post(Ids.next(), hold.id(), 51),
        resolution(Ids.next(), hold.id(), null, null, 49, 0, 0, TransferFlags.VOID_PENDING_TRANSFER));
    List<CreateTransferResult> expected = List.of(
        RESERVED_FLAG,
        ID_MUST_NOT_BE_ZERO,
        ID_MUST_NOT_BE_INT_MAX,
        TIMESTAMP_MUST_BE_ZERO,
        FLAGS_ARE_MUTUALLY_EXCLUSIVE,
        FLAGS_ARE_MUTUALLY_EXCLUSIVE,
        FLAGS_ARE_MUTUALLY_EXCLUSIVE,
        CLOSING_TRANSFER_MUST_BE_PENDING,
        AMOUNT_MUST_NOT_BE_NEGATIVE,
        TIMEOUT_MUST_NOT_BE_NEGATIVE,
        PENDING_ID_MUST_NOT_BE_ZERO,
        PENDING_ID_MUST_NOT_BE_INT_MAX,
        PENDING_ID_MUST_BE_DIFFERENT,
        TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
        TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
        DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO,
        CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO,
        ACCOUNTS_MUST_BE_DIFFERENT,
        PENDING_ID_MUST_BE_ZERO,
        LEDGER_MUST_NOT_BE_ZERO,
        CODE_MUST_NOT_BE_ZERO,
        AMOUNT_MUST_NOT_BE_ZERO,
        DEBIT_ACCOUNT_NOT_FOUND,
        CREDIT_ACCOUNT_NOT_FOUND,
        ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER,
        TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS,
        PENDING_TRANSFER_NOT_FOUND,
        PENDING_TRANSFER_NOT_PENDING,
        PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID,
        PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID,
        PENDING_TRANSFER_HAS_DIFFERENT_LEDGER,
        PENDING_TRANSFER_HAS_DIFFERENT_CODE,
        EXCEEDS_PENDING_TRANSFER_AMOUNT,
        PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT);
    assertThat(ledger.createTransfers(requests)).containsExactlyElementsOf(expected);

    assertThat(balances(a)).isEqualTo(new Balances(50, 5, 0, 0));
    assertThat(balances(b)).isEqualTo(new Balances(0, 0, 50, 5));
    assertThat(balances(usd)).isEqualTo(new Balances(0, 0, 0, 0));
    assertThat(ledger.lookupTransfers(requests.stream().map(Transfer::id)
        .filter(id -> !id.equals(Ids.ZERO) && !id.equals(Ids.MAX)).toList())).isEmpty();
    assertThat(ledger.pendingStatus(List.of(hold.id()))).containsEntry(hold.id(), PendingStatus.PENDING);

    // Failures that depended on the ledger's state stay failed, even once the state has changed;
    // failures of the request's own fields are not remembered.
    Transfer fromMissing = requests.get(22);
    assertThat(ledger.createAccounts(List.of(Account.open(missing, CNY, CODE, 0)))).containsExactly(CREATED);
    Transfer zeroAmount = requests.get(21);
    assertThat(ledger.createTransfers(List.of(fromMissing, requests.get(23), requests.get(26),
        copy(zeroAmount, a, b, 1, CNY, CODE))))
        .containsExactly(ID_ALREADY_FAILED, ID_ALREADY_FAILED, ID_ALREADY_FAILED,
            CreateTransferResult.CREATED);
  }

  @Test
  void balancesThatWouldOverflowAreRejected() {
    UUID a = account(0);
    UUID b = account(0);
    UUID c = account(0);
    assertThat(one(Transfer.of(Ids.next(), a, b, Long.MAX_VALUE, CNY, CODE)))
        .isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(Transfer.of(Ids.next(), a, c, 1, CNY, CODE))).isEqualTo(OVERFLOWS_DEBITS_POSTED);
    assertThat(one(Transfer.of(Ids.next(), c, b, 1, CNY, CODE))).isEqualTo(OVERFLOWS_CREDITS_POSTED);

    UUID d = account(0);
    UUID e = account(0);
    UUID f = account(0);
    assertThat(one(Transfer.pending(Ids.next(), d, e, Long.MAX_VALUE, CNY, CODE, 0)))
        .isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(Transfer.pending(Ids.next(), d, f, 1, CNY, CODE, 0))).isEqualTo(OVERFLOWS_DEBITS_PENDING);
    assertThat(one(Transfer.pending(Ids.next(), f, e, 1, CNY, CODE, 0))).isEqualTo(OVERFLOWS_CREDITS_PENDING);

    UUID g = account(0);
    UUID h = account(0);
    UUID i = account(0);
    assertThat(one(Transfer.of(Ids.next(), g, h, Long.MAX_VALUE - 10, CNY, CODE)))
        .isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(Transfer.pending(Ids.next(), g, i, 20, CNY, CODE, 0))).isEqualTo(OVERFLOWS_DEBITS);
    assertThat(one(Transfer.pending(Ids.next(), i, h, 20, CNY, CODE, 0))).isEqualTo(OVERFLOWS_CREDITS);

    assertThat(balances(a)).isEqualTo(new Balances(0, Long.MAX_VALUE, 0, 0));
    assertThat(balances(c)).isEqualTo(new Balances(0, 0, 0, 0));
    assertThat(balances(f)).isEqualTo(new Balances(0, 0, 0, 0));
    assertThat(balances(i)).isEqualTo(new Balances(0, 0, 0, 0));
  }

  @Test
  void aPendingTimeoutThatWouldOverflowTheClockIsRejected() throws SQLException {
    // Its own database and ledger: a clock this close to the end of time would stop the shared one.
    try (HikariDataSource own = TestDatabases.open("ledger_timeout_overflow", 2)) {
      Migrations.migrate(own, Ledger.SCHEMA_MODULE);
      try (Ledger late = Ledger.start(own, SETTINGS, () -> Long.MAX_VALUE - 2 * SECOND)) {
        UUID a = Ids.next();
        UUID b = Ids.next();
        assertThat(late.createAccounts(List.of(Account.open(a, CNY, CODE, 0), Account.open(b, CNY, CODE, 0))))
            .containsExactly(CREATED, CREATED);
        assertThat(late.createTransfers(List.of(
            Transfer.pending(Ids.next(), a, b, 1, CNY, CODE, 5),
            Transfer.pending(Ids.next(), a, b, 1, CNY, CODE, 1))))
            .containsExactly(OVERFLOWS_TIMEOUT, CreateTransferResult.CREATED);
      }
      assertThat(LedgerInvariants.violations(own)).isEmpty();
    }
  }

  @Test
  void limitsRejectTransfersAndTheIdStaysFailed() {
    Payer p = payer(100);

    Transfer tooMuch = p.pay(150);
    assertThat(one(tooMuch)).isEqualTo(EXCEEDS_CREDITS);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 0, 0, 100));
    fund(p.wallet(), 100);
    assertThat(one(tooMuch)).as("a retried payment must not succeed later by surprise")
        .isEqualTo(ID_ALREADY_FAILED);
    assertThat(ledger.lookupTransfers(List.of(tooMuch.id()))).isEmpty();
    assertThat(one(p.pay(150))).isEqualTo(CreateTransferResult.CREATED);

    Transfer again = p.pay(51);
    assertThat(ledger.createTransfers(List.of(again, again)))
        .containsExactly(EXCEEDS_CREDITS, ID_ALREADY_FAILED);

    // A hold counts against what a wallet may spend.
    assertThat(one(p.hold(40, 0))).isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(p.pay(11))).isEqualTo(EXCEEDS_CREDITS);
    assertThat(one(p.pay(10))).isEqualTo(CreateTransferResult.CREATED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(40, 160, 0, 200));

    UUID liability = account(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS);
    UUID funding = account(0);
    Transfer credit = Transfer.of(Ids.next(), funding, liability, 10, CNY, CODE);
    assertThat(one(credit)).isEqualTo(EXCEEDS_DEBITS);
    assertThat(one(Transfer.of(Ids.next(), liability, funding, 30, CNY, CODE)))
        .isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(credit)).isEqualTo(ID_ALREADY_FAILED);
    assertThat(one(Transfer.of(Ids.next(), funding, liability, 30, CNY, CODE)))
        .isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(Transfer.pending(Ids.next(), funding, liability, 1, CNY, CODE, 0))).isEqualTo(EXCEEDS_DEBITS);
    assertThat(balances(liability)).isEqualTo(new Balances(0, 30, 0, 30));
  }

  // ------------------------------------------------------------------ two-phase transfers

  @Test
  void pendingTransfersArePostedInFullInPartOrVoided() {
    Payer p = payer(1000);

    Transfer p1 = p.hold(100, 0).withUserData(null, 5, 6);
    assertThat(one(p1)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(100, 0, 0, 1000));
    assertThat(balances(p.merchant())).isEqualTo(new Balances(0, 0, 100, 0));
    assertThat(ledger.pendingStatus(List.of(p1.id()))).containsExactly(Map.entry(p1.id(), PendingStatus.PENDING));

    Transfer full = Transfer.post(Ids.next(), p1.id(), 0);
    assertThat(one(full)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 100, 0, 1000));
    assertThat(balances(p.merchant())).isEqualTo(new Balances(0, 0, 0, 100));
    Transfer storedFull = transfer(full.id());
    assertThat(storedFull.amount()).isEqualTo(100);
    assertThat(storedFull.debitAccountId()).isEqualTo(p.wallet());
    assertThat(storedFull.creditAccountId()).isEqualTo(p.merchant());
    assertThat(storedFull.pendingId()).isEqualTo(p1.id());
    assertThat(storedFull.ledger()).isEqualTo(CNY);
    assertThat(storedFull.code()).isEqualTo(CODE);
    assertThat(storedFull.userData64()).as("inherited from the pending transfer").isEqualTo(5);
    assertThat(ledger.pendingStatus(List.of(p1.id()))).containsEntry(p1.id(), PendingStatus.POSTED);
    assertThat(one(full)).isEqualTo(EXISTS);

    Transfer p2 = p.hold(100, 0);
    Transfer partial = Transfer.post(Ids.next(), p2.id(), 30).withUserData(null, 9, 0);
    assertThat(ledger.createTransfers(List.of(p2, partial)))
        .containsExactly(CreateTransferResult.CREATED, CreateTransferResult.CREATED);
    assertThat(balances(p.wallet())).as("the rest of a partly posted hold is released")
        .isEqualTo(new Balances(0, 130, 0, 1000));
    assertThat(transfer(partial.id()).amount()).isEqualTo(30);
    assertThat(transfer(partial.id()).userData64()).isEqualTo(9);

    Transfer p3 = p.hold(100, 0);
    assertThat(one(p3)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(one(Transfer.post(Ids.next(), p3.id(), 101))).isEqualTo(EXCEEDS_PENDING_TRANSFER_AMOUNT);
    assertThat(one(resolution(Ids.next(), p3.id(), null, null, 99, 0, 0, TransferFlags.VOID_PENDING_TRANSFER)))
        .isEqualTo(PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(100, 130, 0, 1000));
    Transfer void3 = Transfer.voidPending(Ids.next(), p3.id());
    assertThat(one(void3)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 130, 0, 1000));
    assertThat(balances(p.merchant())).isEqualTo(new Balances(0, 0, 0, 130));
    assertThat(transfer(void3.id()).amount()).isEqualTo(100);
    assertThat(ledger.pendingStatus(List.of(p3.id()))).containsEntry(p3.id(), PendingStatus.VOIDED);

    Transfer p4 = p.hold(50, 0);
    assertThat(ledger.createTransfers(List.of(p4,
        resolution(Ids.next(), p4.id(), p.wallet(), p.merchant(), 50, CNY, CODE, TransferFlags.VOID_PENDING_TRANSFER))))
        .containsExactly(CreateTransferResult.CREATED, CreateTransferResult.CREATED);

    assertThat(ledger.createTransfers(List.of(
        Transfer.post(Ids.next(), p1.id(), 0),
        Transfer.voidPending(Ids.next(), p1.id()),
        Transfer.post(Ids.next(), p3.id(), 0),
        Transfer.voidPending(Ids.next(), p3.id()))))
        .containsExactly(PENDING_TRANSFER_ALREADY_POSTED, PENDING_TRANSFER_ALREADY_POSTED,
            PENDING_TRANSFER_ALREADY_VOIDED, PENDING_TRANSFER_ALREADY_VOIDED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 130, 0, 1000));
  }

  @Test
  void aPendingTransferExpiresAtItsDeadlineAndCannotBePostedAfterIt() {
    Payer p = payer(100);

    Transfer hold = p.hold(60, 2);
    assertThat(one(hold)).isEqualTo(CreateTransferResult.CREATED);
    advance(1_500_000_000L);
    sync();
    assertThat(ledger.pendingStatus(List.of(hold.id()))).containsEntry(hold.id(), PendingStatus.PENDING);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(60, 0, 0, 100));

    advance(1_000_000_000L);
    Transfer late = Transfer.post(Ids.next(), hold.id(), 0);
    assertThat(one(late)).isEqualTo(PENDING_TRANSFER_EXPIRED);
    assertThat(ledger.pendingStatus(List.of(hold.id()))).containsEntry(hold.id(), PendingStatus.EXPIRED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 0, 0, 100));
    assertThat(balances(p.merchant())).isEqualTo(new Balances(0, 0, 0, 0));
    assertThat(one(late)).isEqualTo(ID_ALREADY_FAILED);
    assertThat(one(Transfer.voidPending(Ids.next(), hold.id()))).isEqualTo(PENDING_TRANSFER_EXPIRED);

    // The deadline is the pending transfer's timestamp plus its timeout, to the nanosecond.
    Transfer before = p.hold(10, 1);
    Transfer at = p.hold(20, 1);
    assertThat(ledger.createTransfers(List.of(before, at)))
        .containsExactly(CreateTransferResult.CREATED, CreateTransferResult.CREATED);
    long beforeDeadline = transfer(before.id()).timestamp() + SECOND;
    long atDeadline = transfer(at.id()).timestamp() + SECOND;
    assertThat(atDeadline).isEqualTo(beforeDeadline + 1);
    // The batch's clock reads one nanosecond before the second deadline; the request's second event
    // is stamped one nanosecond later, exactly at the deadline.
    clock.set(atDeadline - 1);
    assertThat(ledger.createTransfers(List.of(
        Transfer.post(Ids.next(), before.id(), 0), Transfer.post(Ids.next(), at.id(), 0))))
        .containsExactly(PENDING_TRANSFER_EXPIRED, PENDING_TRANSFER_EXPIRED);
    clock.set(atDeadline - 1);
    advance(700_000_000L);
    sync();
    assertThat(ledger.pendingStatus(List.of(before.id(), at.id())))
        .containsEntry(before.id(), PendingStatus.EXPIRED).containsEntry(at.id(), PendingStatus.EXPIRED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 0, 0, 100));

    Transfer inTime = p.hold(30, 1);
    assertThat(one(inTime)).isEqualTo(CreateTransferResult.CREATED);
    // A microsecond before the deadline (not a nanosecond: expiries the same batch runs first
    // would each take a nanosecond of timestamps) the hold can still be posted.
    clock.set(transfer(inTime.id()).timestamp() + SECOND - 1_000);
    assertThat(one(Transfer.post(Ids.next(), inTime.id(), 0))).isEqualTo(CreateTransferResult.CREATED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 30, 0, 100));
  }

  @Test
  void expiryReleasesHoldsInDeadlineOrder() {
    UUID wallet = account(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.HISTORY);
    UUID merchant = account(0);
    fund(wallet, 1000);
    Transfer last = Transfer.pending(Ids.next(), wallet, merchant, 1, CNY, CODE, 3);
    Transfer first = Transfer.pending(Ids.next(), wallet, merchant, 10, CNY, CODE, 1);
    Transfer second = Transfer.pending(Ids.next(), wallet, merchant, 100, CNY, CODE, 2);
    assertThat(ledger.createTransfers(List.of(last, first, second))).containsOnly(CreateTransferResult.CREATED);
    List<UUID> ids = List.of(last.id(), first.id(), second.id());

    advance(1_400_000_000L);
    sync();
    assertThat(ledger.pendingStatus(ids)).containsEntry(first.id(), PendingStatus.EXPIRED)
        .containsEntry(second.id(), PendingStatus.PENDING).containsEntry(last.id(), PendingStatus.PENDING);
    assertThat(balances(wallet)).isEqualTo(new Balances(101, 0, 0, 1000));
    assertThat(balances(merchant)).isEqualTo(new Balances(0, 0, 101, 0));

    // Both remaining holds fall due at once; they are released earliest deadline first.
    advance(2_000_000_000L);
    sync();
    assertThat(ledger.pendingStatus(ids)).containsOnly(Map.entry(first.id(), PendingStatus.EXPIRED),
        Map.entry(second.id(), PendingStatus.EXPIRED), Map.entry(last.id(), PendingStatus.EXPIRED));
    assertThat(balances(wallet)).isEqualTo(new Balances(0, 0, 0, 1000));
    assertThat(balances(merchant)).isEqualTo(new Balances(0, 0, 0, 0));
    assertThat(ledger.accountBalances(new AccountFilter(wallet, 0, 0, 100, true, true, false)))
        .extracting(AccountBalance::debitsPending)
        .containsExactly(0L, 1L, 11L, 111L, 101L, 1L, 0L);
  }

  @Test
  void resolvingAPendingTransferTwiceInOneBatchAnswersItsStatus() {
    Payer p = payer(100);
    Transfer a = p.hold(10, 0);
    Transfer b = p.hold(20, 0);
    assertThat(ledger.createTransfers(List.of(a, b))).containsOnly(CreateTransferResult.CREATED);

    // Both were held when the batch began; the first event of each pair resolves it.
    assertThat(ledger.createTransfers(List.of(
        Transfer.voidPending(Ids.next(), a.id()), Transfer.post(Ids.next(), a.id(), 0),
        Transfer.post(Ids.next(), b.id(), 0), Transfer.voidPending(Ids.next(), b.id()))))
        .containsExactly(CreateTransferResult.CREATED, PENDING_TRANSFER_ALREADY_VOIDED,
            CreateTransferResult.CREATED, PENDING_TRANSFER_ALREADY_POSTED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 20, 0, 100));

    // Expired by the batch that carries the post: the post is told so.
    Transfer c = p.hold(30, 1);
    assertThat(one(c)).isEqualTo(CreateTransferResult.CREATED);
    advance(1_400_000_000L);
    assertThat(one(Transfer.post(Ids.next(), c.id(), 0))).isEqualTo(PENDING_TRANSFER_EXPIRED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 20, 0, 100));
  }

  @Test
  void aPostOrVoidIsCheckedAgainstThePendingTransferBeforeItsStatus() {
    Payer p = payer(100);
    UUID other = account(0);
    Transfer posted = p.hold(10, 0);
    Transfer voided = p.hold(20, 0);
    Transfer expired = p.hold(30, 1);
    Transfer held = p.hold(40, 0);
    assertThat(ledger.createTransfers(List.of(posted, voided, expired, held,
        Transfer.post(Ids.next(), posted.id(), 0), Transfer.voidPending(Ids.next(), voided.id()))))
        .containsOnly(CreateTransferResult.CREATED);
    advance(1_400_000_000L);
    sync();

    assertThat(ledger.createTransfers(List.of(
        Transfer.post(Ids.next(), posted.id(), 11),
        resolution(Ids.next(), voided.id(), null, null, 19, 0, 0, TransferFlags.VOID_PENDING_TRANSFER),
        resolution(Ids.next(), expired.id(), other, null, 0, 0, 0, TransferFlags.POST_PENDING_TRANSFER),
        resolution(Ids.next(), held.id(), null, null, 41, 0, 0, TransferFlags.VOID_PENDING_TRANSFER),
        Transfer.post(Ids.next(), posted.id(), 10),
        resolution(Ids.next(), voided.id(), null, null, 20, 0, 0, TransferFlags.VOID_PENDING_TRANSFER),
        Transfer.voidPending(Ids.next(), expired.id()))))
        .containsExactly(EXCEEDS_PENDING_TRANSFER_AMOUNT, PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT,
            PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID, EXCEEDS_PENDING_TRANSFER_AMOUNT,
            PENDING_TRANSFER_ALREADY_POSTED, PENDING_TRANSFER_ALREADY_VOIDED, PENDING_TRANSFER_EXPIRED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(40, 10, 0, 100));
  }

  @Test
  void aRetriedPostIsComparedWithWhatItsZeroFieldsMeant() {
    Payer p = payer(1000);
    Transfer hold = p.hold(100, 0).withUserData(null, 5, 0);
    Transfer whole = p.hold(50, 0).withUserData(null, 5, 0);
    Transfer tagged = p.hold(20, 0).withUserData(null, 5, 0);
    Transfer partial = Transfer.post(Ids.next(), hold.id(), 30);
    Transfer full = Transfer.post(Ids.next(), whole.id(), 0);
    Transfer retagged = Transfer.post(Ids.next(), tagged.id(), 0).withUserData(null, 9, 0);
    assertThat(ledger.createTransfers(List.of(hold, whole, tagged, partial, full, retagged)))
        .containsOnly(CreateTransferResult.CREATED);

    // Amount zero asks to post the whole hold: that is not what the stored post did.
    assertThat(ledger.createTransfers(List.of(
        Transfer.post(partial.id(), hold.id(), 0),
        Transfer.post(partial.id(), hold.id(), 30),
        Transfer.post(full.id(), whole.id(), 0),
        Transfer.post(full.id(), whole.id(), 50),
        Transfer.post(retagged.id(), tagged.id(), 0),
        Transfer.post(retagged.id(), tagged.id(), 0).withUserData(null, 9, 0),
        Transfer.post(full.id(), whole.id(), 0).withUserData(null, 5, 0))))
        .containsExactly(EXISTS_WITH_DIFFERENT_AMOUNT, EXISTS, EXISTS, EXISTS,
            EXISTS_WITH_DIFFERENT_USER_DATA_64, EXISTS, EXISTS);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 100, 0, 1000));
  }

  // ------------------------------------------------------------------ linked chains

  @Test
  void linkedTransfersSucceedOrFailTogether() {
    UUID funding = account(0);
    UUID wallet = account(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
    UUID merchant = account(0);
    assertThat(one(Transfer.of(Ids.next(), funding, wallet, 100, CNY, CODE))).isEqualTo(CreateTransferResult.CREATED);

    Transfer a = link(Transfer.of(Ids.next(), wallet, merchant, 10, CNY, CODE));
    Transfer b = link(Transfer.of(Ids.next(), merchant, funding, 5, CNY, CODE));
    Transfer c = Transfer.of(Ids.next(), wallet, merchant, 1000, CNY, CODE);
    assertThat(ledger.createTransfers(List.of(a, b, c)))
        .containsExactly(LINKED_EVENT_FAILED, LINKED_EVENT_FAILED, EXCEEDS_CREDITS);
    assertThat(balances(wallet)).isEqualTo(new Balances(0, 0, 0, 100));
    assertThat(balances(merchant)).isEqualTo(new Balances(0, 0, 0, 0));
    assertThat(ledger.lookupTransfers(List.of(a.id(), b.id(), c.id()))).isEmpty();

    // The event that broke the chain is remembered; the others were never judged.
    Transfer c2 = Transfer.of(Ids.next(), wallet, merchant, 20, CNY, CODE);
    assertThat(ledger.createTransfers(List.of(a, b, c2))).containsOnly(CreateTransferResult.CREATED);
    assertThat(one(c)).isEqualTo(ID_ALREADY_FAILED);
    assertThat(balances(wallet)).isEqualTo(new Balances(0, 30, 0, 100));
    assertThat(balances(merchant)).isEqualTo(new Balances(0, 5, 0, 30));
    assertThat(ledger.createTransfers(List.of(a, b, c2))).containsOnly(EXISTS);
    assertThat(balances(wallet)).isEqualTo(new Balances(0, 30, 0, 100));

    // A chain left open at the end of the request fails, and is not remembered as failed.
    Transfer d = link(Transfer.of(Ids.next(), wallet, merchant, 1, CNY, CODE));
    Transfer e = link(Transfer.of(Ids.next(), wallet, merchant, 1, CNY, CODE));
    assertThat(ledger.createTransfers(List.of(d, e))).containsExactly(LINKED_EVENT_FAILED, LINKED_EVENT_CHAIN_OPEN);
    assertThat(balances(wallet)).isEqualTo(new Balances(0, 30, 0, 100));
    assertThat(one(d.withFlags(0))).isEqualTo(CreateTransferResult.CREATED);
    // ... also when an earlier event already broke it: the open end still answers chain_open.
    Transfer broken = link(Transfer.of(Ids.next(), wallet, merchant, 0, CNY, CODE));
    assertThat(ledger.createTransfers(List.of(link(Transfer.of(Ids.next(), wallet, merchant, 1, CNY, CODE)),
        broken, link(Transfer.of(Ids.next(), wallet, merchant, 1, CNY, CODE)))))
        .containsExactly(LINKED_EVENT_FAILED, AMOUNT_MUST_NOT_BE_ZERO, LINKED_EVENT_CHAIN_OPEN);

    // exists inside a chain counts as success.
    Transfer f = Transfer.of(Ids.next(), wallet, merchant, 2, CNY, CODE);
    assertThat(ledger.createTransfers(List.of(a, f))).containsExactly(EXISTS, CreateTransferResult.CREATED);

    // A chain that posts a hold and then fails leaves the hold held.
    Transfer hold = Transfer.pending(Ids.next(), wallet, merchant, 50, CNY, CODE, 0);
    assertThat(one(hold)).isEqualTo(CreateTransferResult.CREATED);
    Transfer post = link(Transfer.post(Ids.next(), hold.id(), 0));
    assertThat(ledger.createTransfers(List.of(post, Transfer.of(Ids.next(), wallet, merchant, 1000, CNY, CODE))))
        .containsExactly(LINKED_EVENT_FAILED, EXCEEDS_CREDITS);
    assertThat(ledger.pendingStatus(List.of(hold.id()))).containsEntry(hold.id(), PendingStatus.PENDING);
    assertThat(balances(wallet)).isEqualTo(new Balances(50, 33, 0, 100));
    assertThat(one(post.withFlags(TransferFlags.POST_PENDING_TRANSFER))).isEqualTo(CreateTransferResult.CREATED);
    assertThat(balances(wallet)).isEqualTo(new Balances(0, 83, 0, 100));

    // A hold created and posted in one chain; a hold created in a chain that fails never existed.
    Transfer q = link(Transfer.pending(Ids.next(), wallet, merchant, 5, CNY, CODE, 0));
    assertThat(ledger.createTransfers(List.of(q, Transfer.post(Ids.next(), q.id(), 0))))
        .containsOnly(CreateTransferResult.CREATED);
    assertThat(ledger.pendingStatus(List.of(q.id()))).containsEntry(q.id(), PendingStatus.POSTED);
    Transfer r = link(Transfer.pending(Ids.next(), wallet, merchant, 5, CNY, CODE, 3));
    assertThat(ledger.createTransfers(List.of(r, Transfer.of(Ids.next(), wallet, merchant, 1000, CNY, CODE))))
        .containsExactly(LINKED_EVENT_FAILED, EXCEEDS_CREDITS);
    assertThat(ledger.pendingStatus(List.of(r.id()))).isEmpty();
    assertThat(ledger.lookupTransfers(List.of(r.id()))).isEmpty();
    assertThat(balances(wallet)).isEqualTo(new Balances(0, 88, 0, 100));

    // Events outside a failed chain are unaffected by it.
    Transfer g = Transfer.of(Ids.next(), wallet, merchant, 1, CNY, CODE);
    Transfer h = link(Transfer.of(Ids.next(), wallet, merchant, 1, CNY, CODE));
    Transfer i = Transfer.of(Ids.next(), wallet, merchant, 0, CNY, CODE);
    Transfer j = Transfer.of(Ids.next(), wallet, merchant, 1, CNY, CODE);
    assertThat(ledger.createTransfers(List.of(g, h, i, j))).containsExactly(
        CreateTransferResult.CREATED, LINKED_EVENT_FAILED, AMOUNT_MUST_NOT_BE_ZERO, CreateTransferResult.CREATED);
    assertThat(balances(wallet)).isEqualTo(new Balances(0, 90, 0, 100));
  }

  // ------------------------------------------------------------------ balancing and closing

  @Test
  void balancingTransfersMoveAtMostWhatTheLimitAllows() {
    Payer p = payer(70);
    Transfer sweep = p.pay(100)
        .withFlags(TransferFlags.BALANCING_DEBIT);
    assertThat(one(sweep)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(transfer(sweep.id()).amount()).isEqualTo(70);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 70, 0, 70));
    assertThat(balances(p.merchant())).isEqualTo(new Balances(0, 0, 0, 70));

    assertThat(one(sweep)).isEqualTo(EXISTS);
    assertThat(one(copy(sweep, p.wallet(), p.merchant(), 200, CNY, CODE))).as("asked for at least what moved")
        .isEqualTo(EXISTS);
    assertThat(one(copy(sweep, p.wallet(), p.merchant(), 69, CNY, CODE))).isEqualTo(EXISTS_WITH_DIFFERENT_AMOUNT);

    Transfer empty = p.pay(100)
        .withFlags(TransferFlags.BALANCING_DEBIT);
    assertThat(one(empty)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(transfer(empty.id()).amount()).isZero();

    UUID liability = account(AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS);
    UUID funding = account(0);
    assertThat(one(Transfer.of(Ids.next(), liability, funding, 50, CNY, CODE))).isEqualTo(CreateTransferResult.CREATED);
    Transfer repay = Transfer.of(Ids.next(), funding, liability, 80, CNY, CODE)
        .withFlags(TransferFlags.BALANCING_CREDIT);
    assertThat(one(repay)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(transfer(repay.id()).amount()).isEqualTo(50);
    assertThat(balances(liability)).isEqualTo(new Balances(0, 50, 0, 50));

    // Balancing applies whatever the account's flags: nothing credited, nothing to debit.
    UUID plain = account(0);
    Transfer none = Transfer.of(Ids.next(), plain, p.merchant(), 10, CNY, CODE).withFlags(TransferFlags.BALANCING_DEBIT);
    assertThat(one(none)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(transfer(none.id()).amount()).isZero();

    UUID wallet2 = account(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
    fund(wallet2, 40);
    Transfer hold = Transfer.pending(Ids.next(), wallet2, p.merchant(), 100, CNY, CODE, 0)
        .withFlags(TransferFlags.PENDING | TransferFlags.BALANCING_DEBIT);
    assertThat(one(hold)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(transfer(hold.id()).amount()).isEqualTo(40);
    assertThat(balances(wallet2)).isEqualTo(new Balances(40, 0, 0, 40));
    assertThat(one(Transfer.post(Ids.next(), hold.id(), 0))).isEqualTo(CreateTransferResult.CREATED);
    assertThat(balances(wallet2)).isEqualTo(new Balances(0, 40, 0, 40));
  }

  @Test
  void aClosingTransferClosesTheAccountAndVoidingItReopensIt() {
    UUID a = account(0);
    UUID b = account(0);
    Transfer closeA = Transfer.pending(Ids.next(), a, b, 1, CNY, CODE, 0)
        .withFlags(TransferFlags.PENDING | TransferFlags.CLOSING_DEBIT);
    assertThat(one(closeA)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(get(a).hasFlag(AccountFlags.CLOSED)).isTrue();
    assertThat(get(b).hasFlag(AccountFlags.CLOSED)).isFalse();

    Transfer fromA = Transfer.of(Ids.next(), a, b, 5, CNY, CODE);
    assertThat(ledger.createTransfers(List.of(fromA,
        Transfer.of(Ids.next(), b, a, 5, CNY, CODE),
        Transfer.pending(Ids.next(), a, b, 5, CNY, CODE, 0))))
        .containsExactly(DEBIT_ACCOUNT_ALREADY_CLOSED, CREDIT_ACCOUNT_ALREADY_CLOSED, DEBIT_ACCOUNT_ALREADY_CLOSED);
    assertThat(ledger.createAccounts(List.of(Account.open(a, CNY, CODE, 0))))
        .as("a closed account still exists as it was created").containsExactly(CreateAccountResult.EXISTS);

    assertThat(one(Transfer.voidPending(Ids.next(), closeA.id()))).isEqualTo(CreateTransferResult.CREATED);
    assertThat(get(a).hasFlag(AccountFlags.CLOSED)).isFalse();
    assertThat(one(fromA)).isEqualTo(ID_ALREADY_FAILED);
    assertThat(one(Transfer.of(Ids.next(), a, b, 5, CNY, CODE))).isEqualTo(CreateTransferResult.CREATED);

    // A hold made before the account closed cannot be posted while it is closed.
    Transfer hold = Transfer.pending(Ids.next(), b, a, 7, CNY, CODE, 0);
    Transfer closeB = Transfer.pending(Ids.next(), b, a, 1, CNY, CODE, 0)
        .withFlags(TransferFlags.PENDING | TransferFlags.CLOSING_CREDIT);
    assertThat(ledger.createTransfers(List.of(hold, closeB))).containsOnly(CreateTransferResult.CREATED);
    assertThat(get(a).hasFlag(AccountFlags.CLOSED)).as("closing_credit closes the credit account").isTrue();
    assertThat(get(b).hasFlag(AccountFlags.CLOSED)).isFalse();
    assertThat(one(Transfer.post(Ids.next(), hold.id(), 0))).isEqualTo(CREDIT_ACCOUNT_ALREADY_CLOSED);
    assertThat(one(Transfer.voidPending(Ids.next(), closeB.id()))).isEqualTo(CreateTransferResult.CREATED);
    assertThat(get(a).hasFlag(AccountFlags.CLOSED)).isFalse();
    assertThat(one(Transfer.post(Ids.next(), hold.id(), 0))).isEqualTo(CreateTransferResult.CREATED);

    // A closing hold that expires reopens the account too.
    Transfer closeForAWhile = Transfer.pending(Ids.next(), a, b, 1, CNY, CODE, 1)
        .withFlags(TransferFlags.PENDING | TransferFlags.CLOSING_DEBIT);
    assertThat(one(closeForAWhile)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(get(a).hasFlag(AccountFlags.CLOSED)).isTrue();
    advance(1_400_000_000L);
    sync();
    assertThat(get(a).hasFlag(AccountFlags.CLOSED)).isFalse();
    assertThat(ledger.pendingStatus(List.of(closeForAWhile.id())))
        .containsEntry(closeForAWhile.id(), PendingStatus.EXPIRED);
    assertThat(balances(a)).isEqualTo(new Balances(0, 5, 0, 7));
    assertThat(balances(b)).isEqualTo(new Balances(0, 7, 0, 5));
  }

  // ------------------------------------------------------------------ reads

  @Test
  void lookupsLeaveOutWhatDoesNotExist() {
    UUID a = account(0);
    UUID b = account(0);
    Transfer t = Transfer.of(Ids.next(), a, b, 3, CNY, CODE);
    assertThat(one(t)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(ledger.lookupAccounts(List.of(a, Ids.next(), b))).extracting(Account::id)
        .containsExactlyInAnyOrder(a, b);
    assertThat(ledger.lookupTransfers(List.of(Ids.next(), t.id()))).extracting(Transfer::id)
        .containsExactly(t.id());
    assertThat(ledger.lookupTransfers(List.of())).isEmpty();
    assertThat(ledger.pendingStatus(List.of(t.id(), Ids.next()))).isEmpty();
  }

  @Test
  void accountTransfersPageInBothDirections() {
    UUID a = account(0);
    UUID b = account(0);
    UUID c = account(0);
    List<Transfer> ts = List.of(
        Transfer.of(Ids.next(), a, b, 1, CNY, CODE),
        Transfer.of(Ids.next(), b, a, 2, CNY, CODE),
        Transfer.of(Ids.next(), a, b, 3, CNY, CODE),
        Transfer.of(Ids.next(), a, c, 4, CNY, CODE),
        Transfer.of(Ids.next(), c, a, 5, CNY, CODE),
        Transfer.of(Ids.next(), a, b, 6, CNY, CODE),
        Transfer.of(Ids.next(), b, a, 7, CNY, CODE));
    assertThat(ledger.createTransfers(ts)).containsOnly(CreateTransferResult.CREATED);
    long[] stamp = ts.stream().mapToLong(t -> transfer(t.id()).timestamp()).toArray();

    List<List<Long>> forward = new ArrayList<>();
    long min = 0;
    while (true) {
      List<Transfer> page = ledger.accountTransfers(new AccountFilter(a, min, 0, 3, true, true, false));
      if (page.isEmpty()) {
        break;
      }
      forward.add(page.stream().map(Transfer::amount).toList());
      min = page.get(page.size() - 1).timestamp() + 1;
    }
    assertThat(forward).containsExactly(List.of(1L, 2L, 3L), List.of(4L, 5L, 6L), List.of(7L));

    List<List<Long>> backward = new ArrayList<>();
    long max = 0;
    while (true) {
      List<Transfer> page = ledger.accountTransfers(new AccountFilter(a, 0, max, 3, true, true, true));
      if (page.isEmpty()) {
        break;
      }
      backward.add(page.stream().map(Transfer::amount).toList());
      max = page.get(page.size() - 1).timestamp() - 1;
    }
    assertThat(backward).containsExactly(List.of(7L, 6L, 5L), List.of(4L, 3L, 2L), List.of(1L));

    assertThat(amounts(ledger.accountTransfers(new AccountFilter(a, 0, 0, 10, true, false, false))))
        .containsExactly(1L, 3L, 4L, 6L);
    assertThat(amounts(ledger.accountTransfers(new AccountFilter(a, 0, 0, 10, false, true, true))))
        .containsExactly(7L, 5L, 2L);
    assertThat(amounts(ledger.accountTransfers(new AccountFilter(a, stamp[1], stamp[3], 10, true, true, false))))
        .containsExactly(2L, 3L, 4L);
    assertThat(amounts(ledger.accountTransfers(AccountFilter.latest(b, 2)))).containsExactly(7L, 6L);
    assertThat(amounts(ledger.accountTransfers(new AccountFilter(c, 0, 0, 10, true, true, false))))
        .containsExactly(4L, 5L);
    assertThat(ledger.accountTransfers(AccountFilter.latest(Ids.next(), 10))).isEmpty();

    assertThatThrownBy(() -> new AccountFilter(a, 0, 0, 0, true, true, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccountFilter(a, 0, 0, 10, false, false, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccountFilter(a, 5, 4, 10, true, true, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void accountBalancesKeepAHistoryForHistoryAccountsOnly() {
    UUID funding = account(0);
    UUID history = account(AccountFlags.HISTORY);
    UUID plain = account(0);
    Transfer t1 = Transfer.of(Ids.next(), funding, history, 100, CNY, CODE);
    Transfer t2 = Transfer.pending(Ids.next(), history, plain, 30, CNY, CODE, 0);
    Transfer t3 = Transfer.post(Ids.next(), t2.id(), 20);
    assertThat(ledger.createTransfers(List.of(t1, t2))).containsOnly(CreateTransferResult.CREATED);
    assertThat(one(t3)).isEqualTo(CreateTransferResult.CREATED);

    List<AccountBalance> rows = ledger.accountBalances(new AccountFilter(history, 0, 0, 10, true, true, false));
    assertThat(rows).containsExactly(
        new AccountBalance(transfer(t1.id()).timestamp(), 0, 0, 0, 100),
        new AccountBalance(transfer(t2.id()).timestamp(), 30, 0, 0, 100),
        new AccountBalance(transfer(t3.id()).timestamp(), 0, 20, 0, 100));
    assertThat(ledger.accountBalances(new AccountFilter(history, 0, 0, 2, true, true, true)))
        .containsExactly(rows.get(2), rows.get(1));
    assertThat(ledger.accountBalances(new AccountFilter(history, rows.get(1).timestamp(), 0, 10, true, true, false)))
        .containsExactly(rows.get(1), rows.get(2));
    assertThat(ledger.accountBalances(new AccountFilter(plain, 0, 0, 10, true, true, false))).isEmpty();
    assertThat(ledger.accountBalances(new AccountFilter(funding, 0, 0, 10, true, true, false))).isEmpty();
  }

  // ------------------------------------------------------------------ restart and failures

  @Test
  void aRestartedLedgerCarriesOnWhereTheLastOneStopped() {
    Payer p = payer(100);
    Transfer open = p.hold(30, 0);
    Transfer timed = p.hold(20, 2);
    Transfer failed = p.pay(1000);
    assertThat(ledger.createTransfers(List.of(open, timed, failed)))
        .containsExactly(CreateTransferResult.CREATED, CreateTransferResult.CREATED, EXCEEDS_CREDITS);
    long before = transfer(timed.id()).timestamp();

    ledger.close();
    ledger = Ledger.start(ds, SETTINGS, clock::get);

    assertThat(balances(p.wallet())).isEqualTo(new Balances(50, 0, 0, 100));
    assertThat(ledger.stats().pendingTransfers()).isPositive();
    assertThat(ledger.createAccounts(List.of(Account.open(p.wallet(), CNY, CODE,
        AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)))).containsExactly(CreateAccountResult.EXISTS);
    assertThat(one(failed)).isEqualTo(ID_ALREADY_FAILED);
    assertThat(one(timed)).isEqualTo(EXISTS);
    Transfer post = Transfer.post(Ids.next(), open.id(), 0);
    assertThat(one(post)).isEqualTo(CreateTransferResult.CREATED);
    assertThat(transfer(post.id()).timestamp()).isGreaterThan(before);
    // The timed hold was reloaded: 100 − 30 posted − 20 held leaves 50.
    assertThat(one(p.pay(51))).isEqualTo(EXCEEDS_CREDITS);

    advance(2_100_000_000L);
    sync();
    assertThat(ledger.pendingStatus(List.of(timed.id()))).containsEntry(timed.id(), PendingStatus.EXPIRED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 30, 0, 100));
    assertThat(one(p.pay(70))).isEqualTo(CreateTransferResult.CREATED);
  }

  @Test
  void aFailedCommitFailsEveryCallerInTheBatchAndAppliesNothing() throws Exception {
    Payer p = payer(100);
    long marker = 987_654_321L;
    long failuresBefore = ledger.stats().commitFailures();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE FUNCTION test_reject_marker() RETURNS trigger LANGUAGE plpgsql AS $$"
          + " BEGIN IF NEW.amount = " + marker + " THEN RAISE EXCEPTION 'injected failure'; END IF;"
          + " RETURN NEW; END $$");
      s.execute("CREATE TRIGGER test_reject_marker BEFORE INSERT ON ledger_transfer"
          + " FOR EACH ROW EXECUTE FUNCTION test_reject_marker()");
    }
    UUID funding = account(0);
    Transfer x = p.pay(10);
    Transfer hold = p.hold(20, 0);
    Transfer poison = Transfer.of(Ids.next(), funding, p.merchant(), marker, CNY, CODE);
    try {
      // Hold the wallet's row so that the writer blocks committing a batch; the three requests
      // queued meanwhile then form the next batch together.
      CompletableFuture<List<CreateTransferResult>> blocker;
      List<CompletableFuture<List<CreateTransferResult>>> batch;
      try (Connection lock = ds.getConnection()) {
        lock.setAutoCommit(false);
        try (PreparedStatement s = lock.prepareStatement("SELECT 1 FROM ledger_account WHERE id = ? FOR UPDATE")) {
          s.setObject(1, p.wallet());
          s.executeQuery().close();
        }
        blocker = ledger.submitTransfers(List.of(p.pay(1)));
        awaitWriterBlockedOnALock(lock);
        batch = List.of(ledger.submitTransfers(List.of(x)), ledger.submitTransfers(List.of(hold)),
            ledger.submitTransfers(List.of(poison)));
        lock.commit();
      }
      assertThat(blocker.get(30, TimeUnit.SECONDS)).containsExactly(CreateTransferResult.CREATED);
      for (CompletableFuture<List<CreateTransferResult>> f : batch) {
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(LedgerUnavailableException.class);
      }
      assertThat(ledger.stats().commitFailures()).isEqualTo(failuresBefore + 1);
      assertThat(ledger.lookupTransfers(List.of(x.id(), hold.id(), poison.id()))).isEmpty();
      assertThat(ledger.pendingStatus(List.of(hold.id()))).isEmpty();
      assertThat(balances(p.wallet())).isEqualTo(new Balances(0, 1, 0, 100));
      assertThat(balances(p.merchant())).isEqualTo(new Balances(0, 0, 0, 1));
    } finally {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TRIGGER test_reject_marker ON ledger_transfer");
        s.execute("DROP FUNCTION test_reject_marker()");
      }
    }

    // The writer reloaded what was committed and carries on; the same ids are safe to retry.
    assertThat(ledger.createTransfers(List.of(x, hold, poison))).containsOnly(CreateTransferResult.CREATED);
    assertThat(balances(p.wallet())).isEqualTo(new Balances(20, 11, 0, 100));
    assertThat(balances(p.merchant())).isEqualTo(new Balances(0, 0, 20, 11 + marker));
    assertThat(one(p.pay(70))).isEqualTo(EXCEEDS_CREDITS);
    assertThat(one(Transfer.post(Ids.next(), hold.id(), 0))).isEqualTo(CreateTransferResult.CREATED);
  }

  /** Waits (bounded) until another session of this database waits for a lock: the writer's commit. */
  private static void awaitWriterBlockedOnALock(Connection mine) throws SQLException, InterruptedException {
    try (PreparedStatement s = mine.prepareStatement("SELECT count(*) FROM pg_stat_activity"
        + " WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
      for (int i = 0; i < 3000; i++) {
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the ledger writer never blocked on the row lock");
  }

  // ------------------------------------------------------------------ helpers

  private static Account linked(UUID id) {
    return Account.open(id, CNY, CODE, AccountFlags.LINKED);
  }

  private static Transfer link(Transfer t) {
    return t.withFlags(t.flags() | TransferFlags.LINKED);
  }

  private static UUID account(int flags) {
    return account(flags, CNY);
  }

  private static UUID account(int flags, int currency) {
    UUID id = Ids.next();
    assertThat(ledger.createAccounts(List.of(Account.open(id, currency, CODE, flags)))).containsExactly(CREATED);
    return id;
  }

  /** A wallet that may not overdraw, funded, and a merchant it pays: what most rules start from. */
  private record Payer(UUID wallet, UUID merchant) {
    Transfer pay(long amount) {
      return Transfer.of(Ids.next(), wallet, merchant, amount, CNY, CODE);
    }

    Transfer hold(long amount, int timeoutSeconds) {
      return Transfer.pending(Ids.next(), wallet, merchant, amount, CNY, CODE, timeoutSeconds);
    }
  }

  private static Payer payer(long funds) {
    Payer p = new Payer(account(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS), account(0));
    fund(p.wallet(), funds);
    return p;
  }

  /** Credits {@code wallet} from a fresh unconstrained funding account. */
  private static void fund(UUID wallet, long amount) {
    UUID funding = account(0);
    assertThat(one(Transfer.of(Ids.next(), funding, wallet, amount, CNY, CODE)))
        .isEqualTo(CreateTransferResult.CREATED);
  }

  private static CreateTransferResult one(Transfer t) {
    return ledger.createTransfers(List.of(t)).get(0);
  }

  /** Runs a batch, so that every expiry due at the clock's current reading is committed. */
  private static void sync() {
    assertThat(one(Transfer.of(Ids.ZERO, Ids.next(), Ids.next(), 1, CNY, CODE))).isEqualTo(ID_MUST_NOT_BE_ZERO);
  }

  private static void advance(long nanos) {
    clock.addAndGet(nanos);
  }

  private static Account get(UUID id) {
    List<Account> found = ledger.lookupAccounts(List.of(id));
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static Balances balances(UUID id) {
    Account a = get(id);
    return new Balances(a.debitsPending(), a.debitsPosted(), a.creditsPending(), a.creditsPosted());
  }

  private static Transfer transfer(UUID id) {
    List<Transfer> found = ledger.lookupTransfers(List.of(id));
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static List<Long> amounts(List<Transfer> ts) {
    return ts.stream().map(Transfer::amount).toList();
  }

  private static Transfer withTimestamp(Transfer t, long timestamp) {
    return new Transfer(t.id(), t.debitAccountId(), t.creditAccountId(), t.amount(), t.pendingId(),
        t.userData128(), t.userData64(), t.userData32(), t.timeoutSeconds(), t.ledger(), t.code(),
        t.flags(), timestamp);
  }

  private static Transfer copy(Transfer t, UUID debit, UUID credit, long amount, int currency, int code) {
    return new Transfer(t.id(), debit, credit, amount, t.pendingId(), t.userData128(), t.userData64(),
        t.userData32(), t.timeoutSeconds(), currency, code, t.flags(), 0);
  }

  private static Transfer pendingWithTimeout(Transfer t, int timeoutSeconds) {
    return new Transfer(t.id(), t.debitAccountId(), t.creditAccountId(), t.amount(), t.pendingId(),
        t.userData128(), t.userData64(), t.userData32(), timeoutSeconds, t.ledger(), t.code(), t.flags(), 0);
  }

  /** A post or void with the optional fields given explicitly (null / 0: inherit). */
  private static Transfer resolution(UUID id, UUID pendingId, UUID debit, UUID credit, long amount,
      int currency, int code, int flags) {
    return new Transfer(id, debit, credit, amount, pendingId, null, 0, 0, 0, currency, code, flags, 0);
  }
}
