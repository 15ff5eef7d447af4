package dev.hutong.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The ledger's rows in PostgreSQL. Writes happen only through {@link #commit}, one transaction per
 * batch, set-wise (arrays and unnest): the cost of a batch grows with its rows, not its round trips.
 */
final class LedgerStore {
  private static final String TRANSFER_COLUMNS = "id, debit_account_id, credit_account_id, amount,"
      + " pending_id, user_data_128, user_data_64, user_data_32, timeout, ledger, code, flags, timestamp";
  private static final String ACCOUNT_COLUMNS = "id, debits_pending, debits_posted, credits_pending,"
      + " credits_posted, user_data_128, user_data_64, user_data_32, ledger, code, flags, timestamp";
  /** Rows read per round trip when loading every account at start. */
  private static final int LOAD_FETCH_SIZE = 10_000;

  private final DataSource dataSource;

  LedgerStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  // ------------------------------------------------------------------ start-up

  /** Everything the writer holds in memory, read in one consistent snapshot. */
  StateMachine load() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false); // a cursor (fetch size) needs a transaction in PostgreSQL
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      AccountTable table = loadAccounts(c);
      Map<UUID, PendingTransfer> pending = loadPending(c);
      long last = lastTimestamp(c);
      UUID highWater = idHighWater(c);
      c.commit();
      return new StateMachine(table, pending, last, highWater);
    }
  }

  private static AccountTable loadAccounts(Connection c) throws SQLException {
    AccountTable table = new AccountTable();
    try (PreparedStatement s = c.prepareStatement("SELECT id, ledger, code, flags, debits_pending,"
        + " debits_posted, credits_pending, credits_posted FROM ledger_account")) {
      s.setFetchSize(LOAD_FETCH_SIZE);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          table.add(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3), rs.getInt(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8));
        }
      }
    }
    return table;
  }

  private static Map<UUID, PendingTransfer> loadPending(Connection c) throws SQLException {
    Map<UUID, PendingTransfer> pending = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT " + prefixed("t", TRANSFER_COLUMNS)
        + ", p.expires_at FROM ledger_pending p JOIN ledger_transfer t ON t.id = p.id WHERE p.status = 1")) {
      s.setFetchSize(LOAD_FETCH_SIZE);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Transfer t = transfer(rs);
          pending.put(t.id(), new PendingTransfer(t, rs.getLong(14)));
        }
      }
    }
    return pending;
  }

  private static long lastTimestamp(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT GREATEST("
        + "(SELECT max(timestamp) FROM ledger_transfer), (SELECT max(timestamp) FROM ledger_account),"
        + " (SELECT max(timestamp) FROM ledger_transfer_failed),"
        + " (SELECT max(timestamp) FROM ledger_account_balance))");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** max(uuid) exists only from PostgreSQL 16; ORDER BY on the primary key works everywhere. */
  private static UUID idHighWater(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT GREATEST("
        + "(SELECT id FROM ledger_transfer ORDER BY id DESC LIMIT 1),"
        + " (SELECT id FROM ledger_transfer_failed ORDER BY id DESC LIMIT 1))");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      UUID max = rs.getObject(1, UUID.class);
      return max == null ? Ids.ZERO : max;
    }
  }

  // ------------------------------------------------------------------ per batch

  /** Reads the stored rows a batch's events refer to (see {@link Prefetch}). */
  Prefetch prefetch(Collection<UUID> transferIds, Collection<UUID> resolvedPendingIds,
      Collection<UUID> accountIds) throws SQLException {
    Prefetch p = new Prefetch();
    if (transferIds.isEmpty() && accountIds.isEmpty()) {
      return p;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      if (!transferIds.isEmpty()) {
        for (Transfer t : selectTransfers(c, transferIds)) {
          p.transfers.put(t.id(), t);
        }
        readFailed(c, transferIds, p.failed);
      }
      if (!resolvedPendingIds.isEmpty()) {
        readPendingStatus(c, resolvedPendingIds, p.pendingStatus);
      }
      if (!accountIds.isEmpty()) {
        for (Account a : selectAccounts(c, accountIds)) {
          p.accounts.put(a.id(), a);
        }
      }
    }
    return p;
  }

  private static void readFailed(Connection c, Collection<UUID> ids,
      Map<UUID, CreateTransferResult> into) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id, result FROM ledger_transfer_failed WHERE id = ANY(?)")) {
      s.setArray(1, uuids(c, ids));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          into.put(rs.getObject(1, UUID.class), CreateTransferResult.valueOf(rs.getString(2)));
        }
      }
    }
  }

  private static void readPendingStatus(Connection c, Collection<UUID> ids,
      Map<UUID, PendingStatus> into) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id, status FROM ledger_pending WHERE id = ANY(?)")) {
      s.setArray(1, uuids(c, ids));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          into.put(rs.getObject(1, UUID.class), PendingStatus.fromDb(rs.getShort(2)));
        }
      }
    }
  }

  /** Writes one batch in one transaction; nothing of it is visible unless all of it is. */
  void commit(BatchEffects e, AccountTable table) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        insertAccounts(c, e.accounts);
        insertTransfers(c, e.transfers);
        updateBalances(c, e, table);
        writePending(c, e);
        insertFailed(c, e.failed);
        insertHistory(c, e.history);
        c.commit();
      } catch (SQLException | RuntimeException ex) {
        c.rollback();
        throw ex;
      }
    }
  }

  private static void insertAccounts(Connection c, List<Account> accounts) throws SQLException {
    if (accounts.isEmpty()) {
      return;
    }
    int n = accounts.size();
    UUID[] id = new UUID[n];
    UUID[] ud128 = new UUID[n];
    long[] ud64 = new long[n];
    int[] ud32 = new int[n];
    int[] ledger = new int[n];
    int[] code = new int[n];
    int[] flags = new int[n];
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      Account a = accounts.get(i);
      id[i] = a.id();
      ud128[i] = a.userData128();
      ud64[i] = a.userData64();
      ud32[i] = a.userData32();
      ledger[i] = a.ledger();
      code[i] = a.code();
      flags[i] = a.flags();
      ts[i] = a.timestamp();
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_account (id, user_data_128,"
        + " user_data_64, user_data_32, ledger, code, flags, timestamp, debits_pending, debits_posted,"
        + " credits_pending, credits_posted) SELECT *, 0, 0, 0, 0 FROM unnest(?::uuid[], ?::uuid[],"
        + " ?::bigint[], ?::int[], ?::int[], ?::int[], ?::int[], ?::bigint[])")) {
      s.setArray(1, uuids(c, id));
      s.setArray(2, uuids(c, ud128));
      s.setArray(3, longs(c, ud64));
      s.setArray(4, ints(c, ud32));
      s.setArray(5, ints(c, ledger));
      s.setArray(6, ints(c, code));
      s.setArray(7, ints(c, flags));
      s.setArray(8, longs(c, ts));
      s.executeUpdate();
    }
  }

  /** COPY in binary: no per-value text parsing on the server, the batch's largest write. */
  private static void insertTransfers(Connection c, List<Transfer> transfers) throws SQLException {
    if (transfers.isEmpty()) {
      return;
    }
    BinaryCopy copy = new BinaryCopy(13, transfers.size());
    for (Transfer t : transfers) {
      copy.row().uuid(t.id()).uuid(t.debitAccountId()).uuid(t.creditAccountId()).int8(t.amount())
          .uuid(t.pendingId()).uuid(t.userData128()).int8(t.userData64()).int4(t.userData32())
          .int4(t.timeoutSeconds()).int4(t.ledger()).int4(t.code()).int4(t.flags())
          .int8(t.timestamp());
    }
    try {
      long rows = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY ledger_transfer (" + TRANSFER_COLUMNS + ") FROM STDIN (FORMAT binary)", copy.finish());
      if (rows != transfers.size()) {
        throw new IllegalStateException("copied " + rows + " transfers, expected " + transfers.size());
      }
    } catch (java.io.IOException e) {
      throw new SQLException("could not stream transfers to the database", e);
    }
  }

  /** One row update per touched account per batch, in id order, with the writer's absolute values. */
  private static void updateBalances(Connection c, BatchEffects e, AccountTable table)
      throws SQLException {
    int n = e.touched.cardinality();
    if (n == 0) {
      return;
    }
    Integer[] order = new Integer[n];
    int k = 0;
    for (int i = e.touched.nextSetBit(0); i >= 0; i = e.touched.nextSetBit(i + 1)) {
      order[k++] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> table.id(a).compareTo(table.id(b)));
    BinaryCopy copy = new BinaryCopy(6, n);
    for (int j = 0; j < n; j++) {
      int i = order[j];
      copy.row().uuid(table.id(i)).int8(table.debitsPending(i)).int8(table.debitsPosted(i))
          .int8(table.creditsPending(i)).int8(table.creditsPosted(i)).int4(table.flags(i));
    }
    try (Statement s = c.createStatement()) {
      // A temporary table per connection, emptied at each commit: binary COPY into it and one
      // set-wise UPDATE costs less than parsing six text arrays of the same rows.
      s.execute("CREATE TEMP TABLE IF NOT EXISTS ledger_balance_stage (id uuid, dp bigint, dpo bigint,"
          + " cp bigint, cpo bigint, flags int) ON COMMIT DELETE ROWS");
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY ledger_balance_stage FROM STDIN (FORMAT binary)", copy.finish());
      int updated = s.executeUpdate("UPDATE ledger_account a SET debits_pending = v.dp,"
          + " debits_posted = v.dpo, credits_pending = v.cp, credits_posted = v.cpo, flags = v.flags"
          + " FROM ledger_balance_stage v WHERE a.id = v.id");
      if (updated != n) {
        throw new IllegalStateException("updated " + updated + " account rows, expected " + n);
      }
    } catch (java.io.IOException io) {
      throw new SQLException("could not stream balances to the database", io);
    }
  }

  private static void writePending(Connection c, BatchEffects e) throws SQLException {
    List<UUID> newIds = new ArrayList<>(e.pendingCreated.keySet());
    if (!newIds.isEmpty()) {
      short[] status = new short[newIds.size()];
      long[] expires = new long[newIds.size()];
      for (int i = 0; i < newIds.size(); i++) {
        status[i] = e.pendingResolved.getOrDefault(newIds.get(i), PendingStatus.PENDING).dbValue();
        expires[i] = e.pendingCreated.get(newIds.get(i));
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_pending (id, status, expires_at)"
          + " SELECT * FROM unnest(?::uuid[], ?::smallint[], ?::bigint[])")) {
        s.setArray(1, uuids(c, newIds));
        s.setArray(2, c.unwrap(PGConnection.class).createArrayOf("int2", status));
        s.setArray(3, longs(c, expires));
        s.executeUpdate();
      }
    }
    List<UUID> resolved = new ArrayList<>();
    for (UUID id : e.pendingResolved.keySet()) {
      if (!e.pendingCreated.containsKey(id)) {
        resolved.add(id);
      }
    }
    if (!resolved.isEmpty()) {
      short[] status = new short[resolved.size()];
      for (int i = 0; i < resolved.size(); i++) {
        status[i] = e.pendingResolved.get(resolved.get(i)).dbValue();
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE ledger_pending p SET status = v.status"
          + " FROM unnest(?::uuid[], ?::smallint[]) AS v(id, status) WHERE p.id = v.id AND p.status = 1")) {
        s.setArray(1, uuids(c, resolved));
        s.setArray(2, c.unwrap(PGConnection.class).createArrayOf("int2", status));
        int updated = s.executeUpdate();
        if (updated != resolved.size()) {
          throw new IllegalStateException("resolved " + updated + " pending rows, expected " + resolved.size());
        }
      }
    }
  }

  private static void insertFailed(Connection c, List<BatchEffects.FailedTransfer> failed)
      throws SQLException {
    if (failed.isEmpty()) {
      return;
    }
    int n = failed.size();
    UUID[] id = new UUID[n];
    String[] result = new String[n];
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      id[i] = failed.get(i).id();
      result[i] = failed.get(i).result().name();
      ts[i] = failed.get(i).timestamp();
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_transfer_failed (id, result,"
        + " timestamp) SELECT * FROM unnest(?::uuid[], ?::text[], ?::bigint[])")) {
      s.setArray(1, uuids(c, id));
      s.setArray(2, c.createArrayOf("text", result));
      s.setArray(3, longs(c, ts));
      s.executeUpdate();
    }
  }

  private static void insertHistory(Connection c, List<BatchEffects.HistoryRow> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    int n = rows.size();
    UUID[] id = new UUID[n];
    long[] ts = new long[n];
    long[] dp = new long[n];
    long[] dpo = new long[n];
    long[] cp = new long[n];
    long[] cpo = new long[n];
    for (int i = 0; i < n; i++) {
      BatchEffects.HistoryRow r = rows.get(i);
      id[i] = r.accountId();
      ts[i] = r.timestamp();
      dp[i] = r.debitsPending();
      dpo[i] = r.debitsPosted();
      cp[i] = r.creditsPending();
      cpo[i] = r.creditsPosted();
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_account_balance (account_id,"
        + " timestamp, debits_pending, debits_posted, credits_pending, credits_posted)"
        + " SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])")) {
      s.setArray(1, uuids(c, id));
      s.setArray(2, longs(c, ts));
      s.setArray(3, longs(c, dp));
      s.setArray(4, longs(c, dpo));
      s.setArray(5, longs(c, cp));
      s.setArray(6, longs(c, cpo));
      s.executeUpdate();
    }
  }

  // ------------------------------------------------------------------ reads

  List<Account> lookupAccounts(Collection<UUID> ids) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return selectAccounts(c, ids);
    }
  }

  List<Transfer> lookupTransfers(Collection<UUID> ids) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return selectTransfers(c, ids);
    }
  }

  List<Transfer> accountTransfers(AccountFilter f) throws SQLException {
    String dir = f.reversed() ? "DESC" : "ASC";
    String range = " AND timestamp >= ? AND timestamp <= ? ORDER BY timestamp " + dir + " LIMIT ?";
    List<String> parts = new ArrayList<>();
    if (f.debits()) {
      parts.add("(SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfer WHERE debit_account_id = ?" + range + ")");
    }
    if (f.credits()) {
      parts.add("(SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfer WHERE credit_account_id = ?" + range + ")");
    }
    String sql = "SELECT * FROM (" + String.join(" UNION ALL ", parts) + ") x ORDER BY timestamp "
        + dir + " LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      int p = 1;
      for (int i = 0; i < parts.size(); i++) {
        s.setObject(p++, f.accountId());
        s.setLong(p++, f.timestampMin());
        s.setLong(p++, f.timestampMax() == 0 ? Long.MAX_VALUE : f.timestampMax());
        s.setInt(p++, f.limit());
      }
      s.setInt(p, f.limit());
      try (ResultSet rs = s.executeQuery()) {
        List<Transfer> out = new ArrayList<>();
        while (rs.next()) {
          out.add(transfer(rs));
        }
        return out;
      }
    }
  }

  List<AccountBalance> accountBalances(AccountFilter f) throws SQLException {
    String dir = f.reversed() ? "DESC" : "ASC";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT timestamp, debits_pending, debits_posted, credits_pending, credits_posted"
            + " FROM ledger_account_balance WHERE account_id = ? AND timestamp >= ? AND timestamp <= ?"
            + " ORDER BY timestamp " + dir + " LIMIT ?")) {
      s.setObject(1, f.accountId());
      s.setLong(2, f.timestampMin());
      s.setLong(3, f.timestampMax() == 0 ? Long.MAX_VALUE : f.timestampMax());
      s.setInt(4, f.limit());
      try (ResultSet rs = s.executeQuery()) {
        List<AccountBalance> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new AccountBalance(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5)));
        }
        return out;
      }
    }
  }

  /** The status of pending transfers, for callers that show holds. */
  Map<UUID, PendingStatus> pendingStatus(Collection<UUID> ids) throws SQLException {
    Map<UUID, PendingStatus> out = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      readPendingStatus(c, ids, out);
    }
    return out;
  }

  private static List<Transfer> selectTransfers(Connection c, Collection<UUID> ids) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfer WHERE id = ANY(?)")) {
      s.setArray(1, uuids(c, ids));
      try (ResultSet rs = s.executeQuery()) {
        List<Transfer> out = new ArrayList<>();
        while (rs.next()) {
          out.add(transfer(rs));
        }
        return out;
      }
    }
  }

  private static List<Account> selectAccounts(Connection c, Collection<UUID> ids) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT " + ACCOUNT_COLUMNS + " FROM ledger_account WHERE id = ANY(?)")) {
      s.setArray(1, uuids(c, ids));
      try (ResultSet rs = s.executeQuery()) {
        List<Account> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Account(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3),
              rs.getLong(4), rs.getLong(5), rs.getObject(6, UUID.class), rs.getLong(7), rs.getInt(8),
              rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getLong(12)));
        }
        return out;
      }
    }
  }

  private static Transfer transfer(ResultSet rs) throws SQLException {
    return new Transfer(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
        rs.getObject(3, UUID.class), rs.getLong(4), rs.getObject(5, UUID.class),
        rs.getObject(6, UUID.class), rs.getLong(7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
        rs.getInt(11), rs.getInt(12), rs.getLong(13));
  }

  private static String prefixed(String alias, String columns) {
    return alias + "." + columns.replace(", ", ", " + alias + ".").replace(",\n", ",");
  }

  private static Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
    return c.createArrayOf("uuid", ids.toArray(new UUID[0]));
  }

  private static Array uuids(Connection c, UUID[] ids) throws SQLException {
    return c.createArrayOf("uuid", ids);
  }

  private static Array longs(Connection c, long[] values) throws SQLException {
    return c.unwrap(PGConnection.class).createArrayOf("int8", values);
  }

  private static Array ints(Connection c, int[] values) throws SQLException {
    return c.unwrap(PGConnection.class).createArrayOf("int4", values);
  }
}
