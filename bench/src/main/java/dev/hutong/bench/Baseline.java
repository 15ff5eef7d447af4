package dev.hutong.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The way most ledgers are written, measured on the same database for comparison: one database
 * transaction per transfer, both accounts locked with SELECT … FOR UPDATE (in id order, so there
 * are no deadlocks), the balance checked, two updates and an insert, then COMMIT — with
 * 2 × cores client threads.
 */
final class Baseline {
  private final DataSource dataSource;
  private final int accounts;
  private final int hotPercent;

  Baseline(DataSource dataSource, int accounts, int hotPercent) {
    this.dataSource = dataSource;
    this.accounts = accounts;
    this.hotPercent = hotPercent;
  }

  /** Creates the baseline's own tables and accounts. */
  void prepare() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE baseline_account (id bigint PRIMARY KEY, debits bigint NOT NULL,"
          + " credits bigint NOT NULL)");
      s.execute("CREATE TABLE baseline_transfer (id uuid PRIMARY KEY, debit bigint NOT NULL,"
          + " credit bigint NOT NULL, amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
      s.execute("INSERT INTO baseline_account SELECT g, 0, 0 FROM generate_series(1, " + accounts + ") g");
      s.execute("ANALYZE baseline_account");
    }
  }

  /** Runs for {@code seconds} with {@code threads} clients; returns committed transfers per second. */
  double run(int threads, int seconds) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> clients = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      clients.add(Thread.ofPlatform().name("baseline-" + i).start(() -> client(deadline, done, errors)));
    }
    for (Thread t : clients) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (errors.get() > 0) {
      throw new IllegalStateException("baseline had " + errors.get() + " failed transactions");
    }
    return done.get() / elapsed;
  }

  private void client(long deadline, AtomicLong done, AtomicLong errors) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try (Connection c = dataSource.getConnection();
        PreparedStatement lock = c.prepareStatement("SELECT id, debits, credits FROM baseline_account"
            + " WHERE id = ANY(?) ORDER BY id FOR UPDATE");
        PreparedStatement debit = c.prepareStatement(
            "UPDATE baseline_account SET debits = debits + ? WHERE id = ?");
        PreparedStatement credit = c.prepareStatement(
            "UPDATE baseline_account SET credits = credits + ? WHERE id = ?");
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO baseline_transfer (id, debit, credit, amount) VALUES (?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      while (System.nanoTime() < deadline) {
        long dr = 1 + random.nextInt(accounts);
        long cr = hotPercent > 0 && random.nextInt(100) < hotPercent ? 1 : 1 + random.nextInt(accounts);
        if (dr == cr) {
          continue;
        }
        long amount = 1 + random.nextInt(1000);
        lock.setArray(1, c.createArrayOf("bigint", new Long[] {dr, cr}));
        try (ResultSet rs = lock.executeQuery()) {
          int rows = 0;
          while (rs.next()) {
            rows++;
          }
          if (rows != 2) {
            throw new IllegalStateException("baseline account missing");
          }
        }
        debit.setLong(1, amount);
        debit.setLong(2, dr);
        debit.executeUpdate();
        credit.setLong(1, amount);
        credit.setLong(2, cr);
        credit.executeUpdate();
        insert.setObject(1, UUID.randomUUID());
        insert.setLong(2, dr);
        insert.setLong(3, cr);
        insert.setLong(4, amount);
        insert.executeUpdate();
        c.commit();
        done.incrementAndGet();
      }
    } catch (SQLException e) {
      errors.incrementAndGet();
      throw new IllegalStateException("baseline client failed: " + e.getMessage(), e);
    }
  }
}
