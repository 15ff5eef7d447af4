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
import org.jdbi.v3.core.Jdbi;

/**
 * One database with the ledger's and identity's schemas, a started ledger, and the identity
 * components every test class needs, wired as the server wires them (the cheapest bcrypt cost).
 */
final class IdentityFixture implements AutoCloseable {
  final HikariDataSource ds;
  final Ledger ledger;
  final Jdbi jdbi;
  final Wallets wallets;
  final SecretHasher hasher = new SecretHasher(SecretHasher.MIN_COST);
  final Users users;
  final Merchants merchants;
  final SimulatedBankChannel bank;

  IdentityFixture(String database, int connections, Clock clock) {
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

  /** After each test: the committed ledger rows break no invariant. */
  void assertInvariants() throws SQLException {
    assertThat(LedgerInvariants.violations(ds)).isEmpty();
  }

  @Override
  public void close() {
    ledger.close();
    ds.close();
  }
}
