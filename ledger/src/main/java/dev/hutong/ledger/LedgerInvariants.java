package dev.hutong.ledger;

import dev.hutong.db.ConsistencyChecks;
import dev.hutong.db.ConsistencyChecks.Check;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks, against the committed rows, the invariants the ledger promises: double entry holds,
 * no constrained account is past its limit, every balance equals what its transfers add up to,
 * and every pending transfer is resolved at most once. Tests run it after every scenario and after
 * every injected crash; operators can run it too. Reads everything: run it off the hot path.
 */
public final class LedgerInvariants {
  private LedgerInvariants() {}

  /**
   * Posted = single-phase and post transfers (flag 4); pending = pending transfers (flag 2) whose
   * status is still pending. Voids (flag 8) move nothing posted.
   */
  private static final String RECOMPUTE = """
      WITH moves AS (
        SELECT t.debit_account_id AS account, t.amount AS dpo, 0::bigint AS cpo, 0::bigint AS dp, 0::bigint AS cp
          FROM ledger_transfer t WHERE t.flags & (2 | 8) = 0
        UNION ALL
        SELECT t.credit_account_id, 0, t.amount, 0, 0 FROM ledger_transfer t WHERE t.flags & (2 | 8) = 0
        UNION ALL
        SELECT t.debit_account_id, 0, 0, t.amount, 0 FROM ledger_transfer t
          JOIN ledger_pending p ON p.id = t.id AND p.status = 1
        UNION ALL
        SELECT t.credit_account_id, 0, 0, 0, t.amount FROM ledger_transfer t
          JOIN ledger_pending p ON p.id = t.id AND p.status = 1
      ), sums AS (
        SELECT account, sum(dpo) dpo, sum(cpo) cpo, sum(dp) dp, sum(cp) cp FROM moves GROUP BY account
      )
      SELECT count(*) FROM ledger_account a LEFT JOIN sums s ON s.account = a.id
       WHERE a.debits_posted <> coalesce(s.dpo, 0) OR a.credits_posted <> coalesce(s.cpo, 0)
          OR a.debits_pending <> coalesce(s.dp, 0) OR a.credits_pending <> coalesce(s.cp, 0)
      """;

  private static final List<Check> CHECKS = List.of(
      new Check("debits_pending total differs from credits_pending total",
          "SELECT count(*) FROM (SELECT sum(debits_pending::numeric) d, sum(credits_pending::numeric) c"
              + " FROM ledger_account) x WHERE d IS DISTINCT FROM c"),
      new Check("debits_posted total differs from credits_posted total",
          "SELECT count(*) FROM (SELECT sum(debits_posted::numeric) d, sum(credits_posted::numeric) c"
              + " FROM ledger_account) x WHERE d IS DISTINCT FROM c"),
      new Check("accounts past their debit or credit limit",
          "SELECT count(*) FROM ledger_account WHERE (flags & 2 <> 0 AND debits_pending + debits_posted"
              + " > credits_posted) OR (flags & 4 <> 0 AND credits_pending + credits_posted > debits_posted)"),
      new Check("accounts whose balances differ from the sum of their transfers",
          RECOMPUTE),
      new Check("pending transfers without a status row",
          "SELECT count(*) FROM ledger_transfer t LEFT JOIN ledger_pending p ON p.id = t.id"
              + " WHERE t.flags & 2 <> 0 AND p.id IS NULL"),
      new Check("pending transfers resolved more than once, or resolved without a post/void row",
          "SELECT count(*) FROM ledger_pending p LEFT JOIN (SELECT pending_id, count(*) n"
              + " FROM ledger_transfer WHERE flags & 12 <> 0 GROUP BY pending_id) r ON r.pending_id = p.id"
              + " WHERE (p.status IN (2, 3) AND coalesce(r.n, 0) <> 1) OR (p.status IN (1, 4) AND r.n IS NOT NULL)"),
      new Check("transfers that also failed",
          "SELECT count(*) FROM ledger_transfer t JOIN ledger_transfer_failed f ON f.id = t.id"));

  /** The violations found; empty when the ledger is consistent. */
  public static List<String> violations(DataSource dataSource) throws SQLException {
    return ConsistencyChecks.violations(dataSource, CHECKS);
  }
}
