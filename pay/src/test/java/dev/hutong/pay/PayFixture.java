package dev.hutong.pay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.TestDatabases;
import dev.hutong.identity.FeeRate;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantOnboarding;
import dev.hutong.identity.MerchantStaff;
import dev.hutong.identity.NewOnboarding;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.NewMerchant;
import dev.hutong.identity.NewUser;
import dev.hutong.identity.OpenIds;
import dev.hutong.identity.PaymentPins;
import dev.hutong.identity.SecretHasher;
import dev.hutong.identity.SimulatedBankChannel;
import dev.hutong.identity.TopUp;
import dev.hutong.identity.User;
import dev.hutong.identity.Users;
import dev.hutong.identity.Wallets;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerInvariants;
import dev.hutong.ledger.LedgerSettings;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jdbi.v3.core.Jdbi;

/** One database with the ledger, identity and pay wired as the server will wire them. */
final class PayFixture implements AutoCloseable {
  static final String APP = "2021000000000001";
  static final String OTHER_APP = "2021000000000002";
  static final String NOTIFY_URL = "http://127.0.0.1:9/notify";
  static final String PIN = "123456";

  final HikariDataSource ds;
  final Clock clock;
  final PaySettings settings;
  final Jdbi jdbi;
  final AtomicInteger wakeups = new AtomicInteger();
  private final AtomicInteger phones = new AtomicInteger(10000000);
  Ledger ledger;
  Wallets wallets;
  Users users;
  PaymentPins pins;
  Merchants merchants;
  OpenIds openIds;
  SimulatedBankChannel bank;
  PaymentCodes codes;
  CollectCodes collectCodes;
  TradeService trades;
  Cashier cashier;
  TradeRecovery recovery;
  TradeSweeper sweeper;
  MerchantStaff staff;
  MerchantOnboarding onboarding;
  Settlement settlement;
  Statements statements;

  PayFixture(String name, Clock clock, PaySettings settings) {
    this.clock = clock;
    this.settings = settings;
    ds = TestDatabases.open(name, 12);
    Migrations.migrate(ds, "ledger");
    Migrations.migrate(ds, "identity");
    Migrations.migrate(ds, "pay");
    jdbi = Jdbi.create(ds);
    startLedger();
  }

  /** (Re)starts the ledger and everything wired to it, as a process restart would. */
  void startLedger() {
    ledger = Ledger.start(ds, LedgerSettings.defaults());
    wallets = new Wallets(ledger);
    wallets.ensurePlatformAccounts();
    SecretHasher hasher = new SecretHasher(SecretHasher.MIN_COST);
    users = new Users(jdbi, wallets, hasher, clock);
    pins = new PaymentPins(jdbi, hasher, clock);
    merchants = new Merchants(jdbi, wallets, clock);
    openIds = new OpenIds(jdbi, clock);
    bank = new SimulatedBankChannel(jdbi, ledger, users, merchants, clock);
    codes = new PaymentCodes(jdbi, users, settings, clock);
    collectCodes = new CollectCodes(jdbi, merchants, settings, clock);
    trades = new TradeService(jdbi, ledger, users, merchants, openIds, codes, settings, clock,
        wakeups::incrementAndGet);
    cashier = new Cashier(trades, pins, collectCodes);
    recovery = new TradeRecovery(trades);
    sweeper = new TradeSweeper(trades);
    staff = new MerchantStaff(jdbi, new SecretHasher(SecretHasher.MIN_COST), clock);
    onboarding = new MerchantOnboarding(jdbi, wallets, merchants, staff, bank,
        FeeRate.parse("0.006"), clock);
    settlement = new Settlement(jdbi, merchants, wallets, bank, clock);
    statements = new Statements(jdbi, merchants);
  }

  /** A self-onboarded micro-merchant (fee 0.6%, limits MICRO, simulated bank account). */
  Merchant microMerchant() {
    String phone = "137" + phones.incrementAndGet();
    return onboarding.onboard(new NewOnboarding("Stall " + phone, "food", "Beijing", phone,
        "password1", "Owner " + phone, "6222021001012345")).profile().merchant();
  }

  void restart() {
    ledger.close();
    startLedger();
  }

  User user(long balanceFen) {
    User u = users.create(new NewUser("138" + phones.incrementAndGet(), "password1", PIN, null));
    if (balanceFen > 0) {
      bank.topUp(new TopUp(u.id(), balanceFen, "init", null)).requireSuccess();
    }
    return u;
  }

  Merchant merchant(String feeRate) {
    return merchants.create(new NewMerchant("Shop " + phones.incrementAndGet(), "food",
        FeeRate.parse(feeRate)));
  }

  long balance(User u) {
    return wallets.balance(u.walletAccountId()).posted();
  }

  long balance(Merchant m) {
    return wallets.balance(m.settlementAccountId()).posted();
  }

  long fees() {
    return wallets.balance(Wallets.PLATFORM_FEE_ACCOUNT_ID).posted();
  }

  CreateTradeRequest create(Merchant m, String out, long fen, UUID buyer) {
    return new CreateTradeRequest(APP, m.id(), out, fen, "Noodles", "2 bowls", buyer, false,
        NOTIFY_URL, null, null, null);
  }

  Map<String, String> notification(String tradeNo, String event) {
    String form = jdbi.withHandle(h -> h.createQuery(
            "SELECT fields FROM pay_notification WHERE event_key = :k")
        .bind("k", tradeNo + ":" + event).mapTo(String.class).findOne().orElse(null));
    return form == null ? null : FormCodec.decode(form);
  }

  int notifications(String tradeNo) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT count(*) FROM pay_notification WHERE trade_no = :t")
        .bind("t", tradeNo).mapTo(Integer.class).one());
  }

  void assertInvariants() throws Exception {
    assertThat(LedgerInvariants.violations(ds)).as("ledger invariants").isEmpty();
    assertThat(PayInvariants.violations(ds)).as("pay invariants").isEmpty();
    assertThat(SettlementInvariants.violations(ds)).as("settlement invariants").isEmpty();
  }

  static void assertSubCode(ThrowingCallable call, TradeError error) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TradeException.class,
        e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(error));
  }

  @Override
  public void close() {
    ledger.close();
    ds.close();
  }
}
