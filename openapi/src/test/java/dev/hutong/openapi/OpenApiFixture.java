package dev.hutong.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayRequest;
import com.alipay.api.AlipayResponse;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipayLogger;
import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.MutableClock;
import dev.hutong.db.TestDatabases;
import dev.hutong.identity.FeeRate;
import dev.hutong.identity.Merchant;
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
import dev.hutong.openapi.gateway.GatewayHttpServer;
import dev.hutong.openapi.gateway.GatewayLimits;
import dev.hutong.openapi.gateway.SignType;
import dev.hutong.pay.Cashier;
import dev.hutong.pay.CollectCodes;
import dev.hutong.pay.PayInvariants;
import dev.hutong.pay.PaySettings;
import dev.hutong.pay.PaymentCodes;
import dev.hutong.pay.TradeService;
import java.security.KeyPair;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/**
 * One database with ledger, identity, pay and the open platform wired as the server wires them,
 * and the gateway behind real HTTP for the official SDK.
 */
final class OpenApiFixture implements AutoCloseable {
  static final String PIN = "123456";
  static final String PUBLIC_BASE_URL = "http://127.0.0.1:8080";
  /** Nothing listens there; notifications are only signed and stored in these tests. */
  static final String NOTIFY_URL = "http://127.0.0.1:9/notify";

  /** An app registered for a test: its id, key pair, sign type and merchant. */
  record App(String appId, KeyPair keys, SignType signType, Merchant merchant) {}

  final HikariDataSource ds;
  final MutableClock clock = MutableClock.followingSystemTime();
  final Jdbi jdbi;
  final Ledger ledger;
  final Wallets wallets;
  final Users users;
  final Merchants merchants;
  final OpenIds openIds;
  final SimulatedBankChannel bank;
  final PaymentCodes codes;
  final TradeService trades;
  final Cashier cashier;
  final OpenPlatform platform;
  final GatewayHttpServer server;
  final AtomicInteger wakeups = new AtomicInteger();
  private final AtomicInteger phones = new AtomicInteger(10_000_000);

  OpenApiFixture(String name, OpenPlatformSettings settings, NotifyUrlPolicy notifyUrls) {
    AlipayLogger.setNeedEnableLogger(false);
    ds = TestDatabases.open(name, 12);
    Migrations.migrate(ds, "ledger");
    Migrations.migrate(ds, "identity");
    Migrations.migrate(ds, "pay");
    Migrations.migrate(ds, OpenPlatform.SCHEMA_MODULE);
    jdbi = Jdbi.create(ds);
    ledger = Ledger.start(ds, LedgerSettings.defaults());
    wallets = new Wallets(ledger);
    wallets.ensurePlatformAccounts();
    SecretHasher hasher = new SecretHasher(SecretHasher.MIN_COST);
    users = new Users(jdbi, wallets, hasher, clock);
    merchants = new Merchants(jdbi, wallets, clock);
    openIds = new OpenIds(jdbi, clock);
    bank = new SimulatedBankChannel(jdbi, ledger, users, merchants, clock);
    PaySettings paySettings = PaySettings.defaults(PUBLIC_BASE_URL);
    codes = new PaymentCodes(jdbi, users, paySettings, clock);
    trades = new TradeService(jdbi, ledger, users, merchants, openIds, codes, paySettings, clock,
        wakeups::incrementAndGet);
    cashier = new Cashier(trades, new PaymentPins(jdbi, hasher, clock),
        new CollectCodes(jdbi, merchants, paySettings, clock));
    platform = new OpenPlatform(jdbi, Keys.PLATFORM_KEYS, trades, users, merchants, openIds, clock,
        settings, notifyUrls, GatewayLimits.defaults());
    server = GatewayHttpServer.start(platform.gateway());
  }

  OpenApiFixture(String name) {
    this(name, OpenPlatformSettings.defaults(false), new NotifyUrlPolicy(false));
  }

  String url() {
    return server.url();
  }

  User user(long balanceFen) {
    return user(balanceFen, null);
  }

  User user(long balanceFen, String nickname) {
    User u = users.create(new NewUser("138" + phones.incrementAndGet(), "password1", PIN,
        nickname));
    if (balanceFen > 0) {
      bank.topUp(new TopUp(u.id(), balanceFen, "init", null)).requireSuccess();
    }
    return u;
  }

  Merchant merchant(String feeRate) {
    return merchants.create(new NewMerchant("面馆 " + phones.incrementAndGet(), "food",
        FeeRate.parse(feeRate)));
  }

  App app(KeyPair keys, SignType signType) {
    return app(keys, signType, NOTIFY_URL);
  }

  App app(KeyPair keys, SignType signType, String notifyUrl) {
    Merchant m = merchant("0.006");
    AppRegistration r = platform.apps().register(m.id(), null, Keys.publicText(keys), notifyUrl,
        signType);
    assertThat(r.platformPublicKey()).isEqualTo(Keys.platformPublic());
    return new App(r.appId(), keys, signType, m);
  }

  DefaultAlipayClient client(App app, String charset) {
    return new DefaultAlipayClient(url(), app.appId(), Keys.privateText(app.keys()), "json",
        charset, Keys.platformPublic(), app.signType().name());
  }

  static <T extends AlipayResponse> T execute(DefaultAlipayClient client, AlipayRequest<T> request) {
    try {
      return client.execute(request);
    } catch (AlipayApiException e) {
      throw new AssertionError("the SDK refused the response: " + e.getErrMsg(), e);
    }
  }

  long balance(User u) {
    return wallets.balance(u.walletAccountId()).posted();
  }

  long balance(Merchant m) {
    return wallets.balance(m.settlementAccountId()).posted();
  }

  void assertInvariants() throws Exception {
    assertThat(LedgerInvariants.violations(ds)).as("ledger invariants").isEmpty();
    assertThat(PayInvariants.violations(ds)).as("pay invariants").isEmpty();
  }

  @Override
  public void close() {
    server.close();
    ledger.close();
    ds.close();
  }
}
