package dev.hutong.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.TestDatabases;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerInvariants;
import dev.hutong.ledger.LedgerSettings;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One database with the ledger's and identity's schemas, a started ledger, and the identity
 * components every test class needs, wired as the server wires them (the cheapest bcrypt cost).
 * Registered as a static {@code @RegisterExtension}, it checks the ledger's invariants after each
 * test and closes after the class.
 */
final class IdentityFixture implements AutoCloseable, AfterEachCallback, AfterAllCallback {
  final HikariDataSource ds;
  final Ledger ledger;
  final Jdbi jdbi;
  final Wallets wallets;
  final SecretHasher hasher = new SecretHasher(SecretHasher.MIN_COST);
  final Users users;
  final Merchants merchants;
  final SimulatedBankChannel bank;
  private final String phonePrefix;
  private final AtomicInteger phones = new AtomicInteger(10_000_000);

  /** @param phonePrefix the first three digits of {@link #phone()}'s numbers, e.g. "139" */
  IdentityFixture(String database, int connections, Clock clock, String phonePrefix) {
    this.phonePrefix = phonePrefix;
    ds = TestDatabases.open(database, connections);
    Migrations.migrate(ds, "ledger");
    Migrations.migrate(ds, "identity");
    ledger = Ledger.start(ds, LedgerSettings.defaults());
    jdbi = Jdbi.create(ds);
    wallets = new Wallets(ledger);
    wallets.ensurePlatformAccounts();
    users = new Users(jdbi, wallets, hasher, clock);
    merchants = new Merchants(jdbi, wallets, clock);
    bank = new SimulatedBankChannel(jdbi, ledger, users, merchants, clock);
  }

  /** A mainland mobile number no other test of the class has used. */
  String phone() {
    return phonePrefix + phones.incrementAndGet();
  }

  /** After each test: the committed ledger rows break no invariant. */
  @Override
  public void afterEach(ExtensionContext context) throws SQLException {
    assertThat(LedgerInvariants.violations(ds)).isEmpty();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    ledger.close();
    ds.close();
  }
}
