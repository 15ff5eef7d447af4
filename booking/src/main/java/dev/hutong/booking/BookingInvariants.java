package dev.hutong.booking;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The booking engine's invariants as SQL over its tables, pay's trades and the ledger's
 * transfers, checked in one snapshot: money and inventory agree. Run when quiet (or after
 * recovery): an attempt in flight shows up as a violation. Each check returns offending rows.
 */
public final class BookingInvariants {
  private BookingInvariants() {}

  private record Rule(String name, String sql) {}

  private static final List<Rule> RULES = List.of(
      new Rule("a unit held or booked has exactly its reservation's claim, and only then", """
          SELECT ru.reservation_id FROM booking_reservation_unit ru
            JOIN booking_reservation r ON r.id = ru.reservation_id
            LEFT JOIN booking_claim c ON c.unit_id = ru.unit_id AND c.reservation_id = r.id
           WHERE (r.status IN ('HELD', 'CONFIRMED', 'COMPLETED')) <> (c.unit_id IS NOT NULL)"""),
      new Rule("every claim belongs to a reservation that lists the unit", """
          SELECT c.unit_id FROM booking_claim c LEFT JOIN booking_reservation_unit ru
              ON ru.unit_id = c.unit_id AND ru.reservation_id = c.reservation_id
           WHERE ru.unit_id IS NULL"""),
      new Rule("a closed unit (removed showtime, closed slot) has no claim", """
          SELECT c.unit_id FROM booking_claim c JOIN booking_unit u ON u.id = c.unit_id
           WHERE u.closed_at IS NOT NULL"""),
      new Rule("a confirmed paid booking has a paid trade of its amount", """
          SELECT r.id FROM booking_reservation r LEFT JOIN pay_trade t ON t.trade_no = r.trade_no
           WHERE r.amount_fen > 0
             AND r.status IN ('CONFIRMED', 'COMPLETED')
             AND (t.trade_no IS NULL OR t.paid_at IS NULL OR t.total_amount <> r.amount_fen)"""),
      new Rule("a released hold's trade was never paid", """
          SELECT r.id FROM booking_reservation r JOIN pay_trade t ON t.app_id = r.app_id
               AND t.out_trade_no = r.out_trade_no
           WHERE r.status = 'RELEASED' AND t.paid_at IS NOT NULL
             AND r.deposit_status IS NULL"""),
      new Rule("a hold that costs something has its trade, of its amount", """
          SELECT r.id FROM booking_reservation r LEFT JOIN pay_trade t ON t.trade_no = r.trade_no
           WHERE r.status = 'HELD' AND r.amount_fen > 0
             AND (t.trade_no IS NULL OR t.out_trade_no <> r.out_trade_no
                  OR t.total_amount <> r.amount_fen)"""),
      new Rule("a held reservation's trade is unpaid", """
          SELECT r.id FROM booking_reservation r JOIN pay_trade t ON t.trade_no = r.trade_no
           WHERE r.status = 'HELD' AND t.paid_at IS NOT NULL"""),
      new Rule("every trade of a reservation is the reservation's", """
          SELECT t.trade_no FROM pay_trade t LEFT JOIN booking_reservation r
              ON r.app_id = t.app_id AND r.out_trade_no = t.out_trade_no
           WHERE t.out_trade_no LIKE 'BK%' AND t.app_id IN (SELECT app_id FROM booking_venue)
             AND (r.id IS NULL OR r.amount_fen <> t.total_amount)"""),
      new Rule("a refund done is a successful refund of the trade", """
          SELECT r.id FROM booking_reservation r
           WHERE r.refund_status = 'DONE' AND NOT EXISTS (SELECT 1 FROM pay_refund f
                 WHERE f.trade_no = r.trade_no AND f.status = 'SUCCESS'
                   AND f.amount = r.refund_fen)"""),
      new Rule("a deposit's ledger transfer matches its status", """
          SELECT r.id FROM booking_reservation r
            LEFT JOIN ledger_transfer p ON p.id = r.deposit_transfer_id
            LEFT JOIN ledger_transfer e ON e.id = r.deposit_end_transfer_id
            LEFT JOIN pay_trade t ON t.trade_no = r.trade_no
           WHERE r.kind = 'DEPOSIT' AND (
                 (r.deposit_status IN ('PENDING', 'POSTED', 'VOIDED')
                    AND (p.id IS NULL OR p.amount <> t.total_amount - t.fee_amount))
              OR (r.deposit_status IN ('VOIDED', 'FAILED') AND r.refund_fen <> r.amount_fen)
              OR (r.status = 'CONFIRMED' AND r.deposit_status IS DISTINCT FROM 'PENDING')
              OR (r.status = 'HELD' AND r.deposit_status IS NOT NULL)
              OR (r.deposit_status = 'FAILED' AND p.id IS NOT NULL)
              OR (r.deposit_status IN ('POSTED', 'VOIDED') AND e.id IS NULL)
              OR (r.deposit_status = 'PENDING' AND r.status <> 'CONFIRMED')
              OR (r.deposit_status = 'POSTED' AND r.status <> 'COMPLETED')
              OR (r.deposit_status IN ('SUBMITTING', 'POSTING', 'VOIDING')))"""));

  /** Every violation, as "rule: offending id"; empty when all hold. */
  public static List<String> violations(DataSource ds) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = c.createStatement()) {
        for (Rule rule : RULES) {
          try (ResultSet rs = s.executeQuery(rule.sql() + " LIMIT 20")) {
            while (rs.next()) {
              found.add(rule.name() + ": " + rs.getString(1));
            }
          }
        }
      } finally {
        c.rollback();
      }
    }
    return found;
  }
}
