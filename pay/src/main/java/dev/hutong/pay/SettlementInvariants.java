package dev.hutong.pay;

import dev.hutong.db.ConsistencyChecks;
import dev.hutong.db.ConsistencyChecks.Check;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * What settlement promises, checked against committed rows (run when quiet, like
 * {@link PayInvariants}):
 * <ul>
 *   <li>every successful payout is a posted transfer (code 102) of its amount out of the merchant's
 *       settlement account, and every such transfer is a successful payout;
 *   <li>each merchant's settlement balance is exactly its payments less fees, less refunds plus the
 *       fees they returned, less its payouts — no money appears or vanishes in settlement;
 *   <li>no merchant was paid out more than it earned.
 * </ul>
 */
public final class SettlementInvariants {
  private SettlementInvariants() {}

  private static final String EARNED = """
      (SELECT m.id, m.settlement_account_id,
              coalesce((SELECT sum(t.receipt_amount - t.fee_amount - t.refund_amount + t.fee_refunded)
                          FROM pay_trade t WHERE t.merchant_id = m.id AND t.paid_at IS NOT NULL), 0) AS net,
              coalesce((SELECT sum(o.amount) FROM identity_funding_operation o
                         WHERE o.kind = 'PAYOUT' AND o.owner_id = m.id AND o.status = 'SUCCESS'), 0) AS paid_out
         FROM identity_merchant m) e""";

  private static final List<Check> CHECKS = List.of(
      new Check("successful payouts whose transfer is missing or differs",
          "SELECT count(*) FROM identity_funding_operation o JOIN identity_merchant m"
              + " ON m.id = o.owner_id LEFT JOIN ledger_transfer x ON x.id = o.id"
              + " WHERE o.kind = 'PAYOUT' AND o.status = 'SUCCESS' AND (x.id IS NULL"
              + " OR x.amount <> o.amount OR x.code <> 102"
              + " OR x.debit_account_id <> m.settlement_account_id)"),
      new Check("payout transfers without a successful payout",
          "SELECT count(*) FROM ledger_transfer x LEFT JOIN identity_funding_operation o"
              + " ON o.id = x.id AND o.kind = 'PAYOUT' WHERE x.code = 102"
              + " AND (o.id IS NULL OR o.status <> 'SUCCESS')"),
      new Check("merchants whose settlement balance differs from earnings less payouts",
          "SELECT count(*) FROM " + EARNED + " JOIN ledger_account a ON a.id = e.settlement_account_id"
              + " WHERE a.credits_posted - a.debits_posted <> e.net - e.paid_out"),
      new Check("merchants paid out more than they earned",
          "SELECT count(*) FROM " + EARNED + " WHERE e.paid_out > e.net"));

  public static List<String> violations(DataSource dataSource) throws SQLException {
    return ConsistencyChecks.violations(dataSource, CHECKS);
  }
}
