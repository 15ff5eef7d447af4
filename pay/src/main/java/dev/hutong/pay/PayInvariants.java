package dev.hutong.pay;

import dev.hutong.db.ConsistencyChecks;
import dev.hutong.db.ConsistencyChecks.Check;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks, against committed rows of trades, refunds, the outbox and the ledger, what the pay
 * module promises:
 * <ul>
 *   <li>a trade is paid (TRADE_SUCCESS, TRADE_FINISHED, or closed by a full refund) exactly when
 *       its payment transfer — and its fee transfer, if it has a fee — is posted, with the
 *       trade's amounts;
 *   <li>refunds never total more than was paid; the trade's refund totals are the sums of its
 *       successful refunds; every successful refund has its transfers, and every refund transfer
 *       belongs to a successful refund;
 *   <li>a trade refunded in full is closed; every paid trade with a notify_url has its
 *       notification.
 * </ul>
 * In-flight states (a posted transfer whose trade is not marked yet) count as violations: run it
 * when the system is quiet or after {@link TradeRecovery}, as tests do after every scenario.
 */
public final class PayInvariants {
  private PayInvariants() {}

  private static final List<Check> CHECKS = List.of(
      new Check("paid trades whose payment transfer is missing or differs",
          "SELECT count(*) FROM pay_trade t LEFT JOIN ledger_transfer p ON p.id = t.pay_transfer_id"
              + " WHERE t.paid_at IS NOT NULL AND (p.id IS NULL OR p.amount <> t.total_amount"
              + " OR p.code <> 201)"),
      new Check("paid trades whose fee transfer is missing or differs",
          "SELECT count(*) FROM pay_trade t LEFT JOIN ledger_transfer f ON f.id = t.fee_transfer_id"
              + " WHERE t.paid_at IS NOT NULL AND t.fee_amount > 0 AND (f.id IS NULL"
              + " OR f.amount <> t.fee_amount OR f.code <> 202)"),
      new Check("payment transfers whose trade is not paid",
          "SELECT count(*) FROM ledger_transfer p LEFT JOIN pay_trade t ON t.pay_transfer_id = p.id"
              + " WHERE p.code = 201 AND (t.id IS NULL OR t.paid_at IS NULL)"),
      new Check("fee transfers whose trade is not paid",
          "SELECT count(*) FROM ledger_transfer f LEFT JOIN pay_trade t ON t.fee_transfer_id = f.id"
              + " WHERE f.code = 202 AND (t.id IS NULL OR t.paid_at IS NULL)"),
      new Check("paid states without a payment, or a payment without a paid state",
          "SELECT count(*) FROM pay_trade WHERE (status IN ('TRADE_SUCCESS', 'TRADE_FINISHED')"
              + " AND paid_at IS NULL) OR (status = 'WAIT_BUYER_PAY' AND paid_at IS NOT NULL)"),
      new Check("trades whose refund totals differ from their successful refunds",
          "SELECT count(*) FROM pay_trade t LEFT JOIN (SELECT trade_no, sum(amount) a,"
              + " sum(fee_refund) f FROM pay_refund WHERE status = 'SUCCESS' GROUP BY trade_no) r"
              + " ON r.trade_no = t.trade_no WHERE t.refund_amount <> coalesce(r.a, 0)"
              + " OR t.fee_refunded <> coalesce(r.f, 0)"),
      new Check("trades whose refunds (done or in progress) exceed the amount paid",
          "SELECT count(*) FROM pay_trade t JOIN (SELECT trade_no, sum(amount) a, sum(fee_refund) f"
              + " FROM pay_refund WHERE status IN ('PROCESSING', 'SUCCESS') GROUP BY trade_no) r"
              + " ON r.trade_no = t.trade_no WHERE r.a > t.receipt_amount OR r.f > t.fee_amount"),
      new Check("successful refunds whose transfers are missing or differ",
          "SELECT count(*) FROM pay_refund r LEFT JOIN ledger_transfer x ON x.id = r.refund_transfer_id"
              + " LEFT JOIN ledger_transfer y ON y.id = r.fee_refund_transfer_id"
              + " WHERE r.status = 'SUCCESS' AND (x.id IS NULL OR x.amount <> r.amount"
              + " OR x.code <> 203 OR (r.fee_refund > 0 AND (y.id IS NULL OR y.amount <> r.fee_refund"
              + " OR y.code <> 204)))"),
      new Check("refund transfers without a successful refund",
          "SELECT count(*) FROM ledger_transfer x LEFT JOIN pay_refund r"
              + " ON (r.refund_transfer_id = x.id OR r.fee_refund_transfer_id = x.id)"
              + " WHERE x.code IN (203, 204) AND (r.id IS NULL OR r.status <> 'SUCCESS')"),
      new Check("trades refunded in full that are not closed",
          "SELECT count(*) FROM pay_trade WHERE paid_at IS NOT NULL AND refund_amount = receipt_amount"
              + " AND status <> 'TRADE_CLOSED'"),
      new Check("paid trades with a notify_url but no notification",
          "SELECT count(*) FROM pay_trade t WHERE t.paid_at IS NOT NULL AND t.notify_url IS NOT NULL"
              + " AND t.app_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pay_notification n"
              + " WHERE n.event_key = t.trade_no || ':paid')"));

  public static List<String> violations(DataSource dataSource) throws SQLException {
    return ConsistencyChecks.violations(dataSource, CHECKS);
  }
}
